// @pallet/openpgp: repository signing keys, InRelease/Release.gpg/repomd.xml.asc/RPM signatures and the
// at-rest key envelope. Pure: wraps openpgp.js and node:crypto, imports nothing else of ours.

export { checkImportedKey, type ImportedKey, KeyPolicyError } from './check-imported-key';
export { clearsignText, type SignOptions } from './clearsign-text';
export {
  DATA_KEY_BYTES,
  type DataKeyEnvelope,
  type DataKeyWrapping,
  decodeDataKeyEnvelope,
  encodeDataKeyEnvelope,
  envelopeVersion,
  generateDataKey,
  openSealedWithMasterKey,
  openWithDataKey,
  sealWithDataKey,
  unwrapDataKeyWithMasterKey,
  wrapDataKeyWithMasterKey,
} from './data-key-envelope';
export { type DetachSignOptions, detachSign } from './detach-sign';
export { type GenerateSigningKeyOptions, generateSigningKey } from './generate-signing-key';
export { KeyEnvelopeError, MASTER_KEY_BYTES, openPrivateKey, sealPrivateKey } from './key-envelope';
export { generateMasterKey, parseMasterKey } from './master-key';
export { combineArmoredPublicKeys, publicKeyToBinary } from './public-keyring';
export { readKeyInfo } from './read-key-info';
export { revokeSigningKey } from './revoke-signing-key';
export { type ReSignedKey, type SetKeyExpiryOptions, setKeyExpiry } from './set-key-expiry';
export type {
  GeneratedKey,
  KeyInfo,
  SignatureCheck,
  SignatureStatus,
  SigningAlgorithm,
  VerificationResult,
} from './types';
export { type VerifyOptions, verifyCleartext, verifyDetached } from './verify-signatures';
