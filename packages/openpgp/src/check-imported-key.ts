// Checks a user-supplied ("bring your own") private signing key against Pallet's key policy and returns it
// unlocked for sealing: one v4 key (gpgv in Debian 12 and rpm ≤ 4.19 cannot read v6 keys), RSA of at least
// 3072 bits or Ed25519 on the legacy EdDSA algorithm, not expired or revoked, able to sign. Reasons never
// contain key material or the passphrase.
import type { Key, PrivateKey } from 'openpgp';
import { fingerprintOf, keyIdOf } from './hex';
import { loadOpenpgp } from './load-openpgp';
import { SIGNING_CONFIG } from './signing-config';

export class KeyPolicyError extends Error {
  readonly code = 'KEY_POLICY';
  override readonly name = 'KeyPolicyError';
}

export interface ImportedKey {
  /** unlocked: seal it before storing */
  privateKeyArmored: string;
  publicKeyArmored: string;
  fingerprint: string;
  keyId: string;
  /** `rsa<bits>` or `ed25519`, as generated keys are named */
  algorithm: string;
  bits?: number;
  createdAt: Date;
  expiresAt?: Date;
}

const MIN_RSA_BITS = 3072;

export async function checkImportedKey(
  armoredPrivateKey: string,
  passphrase: string | undefined,
  now: Date = new Date(),
): Promise<ImportedKey> {
  const { decryptKey, readPrivateKeys } = await loadOpenpgp();
  let keys: PrivateKey[];
  try {
    keys = await readPrivateKeys({ armoredKeys: armoredPrivateKey, config: SIGNING_CONFIG });
  } catch {
    throw new KeyPolicyError('Not an armored OpenPGP private key.');
  }
  if (keys.length !== 1) throw new KeyPolicyError('Import exactly one private key at a time.');
  let key = keys[0] as PrivateKey;
  if (key.keyPacket.version !== 4) {
    throw new KeyPolicyError(
      `Version ${key.keyPacket.version} keys are refused: gpgv in Debian 12 and rpm before 4.20 read only v4 keys.`,
    );
  }
  if (!key.isDecrypted()) {
    if (!passphrase) throw new KeyPolicyError('The key is passphrase-protected: send its passphrase.');
    try {
      key = await decryptKey({ privateKey: key, passphrase, config: SIGNING_CONFIG });
    } catch {
      throw new KeyPolicyError('The passphrase does not unlock the key.');
    }
  }
  try {
    await key.verifyPrimaryKey(now);
  } catch {
    throw new KeyPolicyError('The key is expired, revoked or has no valid self-signature.');
  }
  let signingKey: { getAlgorithmInfo: Key['getAlgorithmInfo'] };
  try {
    signingKey = await key.getSigningKey(undefined, now);
  } catch {
    throw new KeyPolicyError('The key cannot make signatures (no valid signing-capable key).');
  }
  const primary = algorithmOf(key);
  const signer = algorithmOf(signingKey);
  for (const info of [primary, signer]) {
    if (info.kind === 'rsa' && (info.bits ?? 0) < MIN_RSA_BITS) {
      throw new KeyPolicyError(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${info.bits}).`);
    }
    if (info.kind === 'other') {
      throw new KeyPolicyError(
        `Algorithm ${info.name} is refused: use RSA (3072 bits or more) or Ed25519 (legacy EdDSA, as gpg makes it).`,
      );
    }
  }
  const expiration = await key.getExpirationTime();
  return {
    privateKeyArmored: key.armor(),
    publicKeyArmored: key.toPublic().armor(),
    fingerprint: fingerprintOf(key),
    keyId: keyIdOf(key),
    algorithm: primary.kind === 'rsa' ? `rsa${primary.bits}` : 'ed25519',
    bits: primary.kind === 'rsa' ? primary.bits : undefined,
    createdAt: key.getCreationTime(),
    expiresAt: expiration instanceof Date ? expiration : undefined,
  };
}

function algorithmOf(key: { getAlgorithmInfo: Key['getAlgorithmInfo'] }): {
  kind: 'rsa' | 'ed25519' | 'other';
  bits?: number;
  name: string;
} {
  const { algorithm, bits, curve } = key.getAlgorithmInfo();
  if (algorithm === 'rsaSign' || algorithm === 'rsaEncryptSign')
    return { kind: 'rsa', bits, name: algorithm };
  // gpgv 2.2 (Debian 12) and rpm ≤ 4.19 know Ed25519 only as EdDSA (22) on the ed25519 curve, not RFC 9580's 27.
  if (algorithm === 'eddsaLegacy' && curve === 'ed25519Legacy') return { kind: 'ed25519', name: algorithm };
  return { kind: 'other', bits, name: curve ? `${algorithm}/${curve}` : algorithm };
}
