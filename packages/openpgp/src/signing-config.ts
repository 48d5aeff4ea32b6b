// The openpgp.js settings every Pallet signature and key uses, passed per call (global config is untouched):
// v4 keys/signatures (gpgv 2.2 and rpm 4.18 cannot read v6) and SHA-512 digests.
import type { PartialConfig, PrivateKey } from 'openpgp';
import { loadOpenpgp } from './load-openpgp';

/** openpgp.js' `enums.hash.sha512` (RFC 4880 §9.4: 10), written out so the config needs no loaded module. */
export const SHA512_HASH_ALGORITHM = 10;

export const SIGNING_CONFIG: PartialConfig = {
  v6Keys: false,
  preferredHashAlgorithm: SHA512_HASH_ALGORITHM,
};

/** Reads unencrypted armored private keys for signing; throws without echoing key material. */
export async function readSigningKeys(privateKeysArmored: string[]): Promise<PrivateKey[]> {
  if (privateKeysArmored.length === 0) throw new Error('At least one signing key is required');
  const { readPrivateKey } = await loadOpenpgp();
  return Promise.all(
    privateKeysArmored.map(async (armoredKey, index) => {
      let key: PrivateKey;
      try {
        key = await readPrivateKey({ armoredKey });
      } catch {
        throw new Error(`Signing key #${index + 1} is not an armored OpenPGP private key`);
      }
      if (!key.isDecrypted()) throw new Error(`Signing key #${index + 1} is passphrase-protected`);
      return key;
    }),
  );
}
