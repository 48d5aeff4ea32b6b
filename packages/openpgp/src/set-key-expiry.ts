// Moves a signing key's expiry: new self-signatures (user certification, subkey bindings) carrying the new
// key-expiration time, made by the key itself. The key material and fingerprint stay; clients that import the
// new public key take the newest self-signature, so the key is valid until the new date everywhere.
import { fingerprintOf } from './hex';
import { KeyEnvelopeError } from './key-envelope';
import { loadOpenpgp } from './load-openpgp';
import { makeKeyExpiryNonCritical } from './rpm-compatible-expiry';
import { SIGNING_CONFIG } from './signing-config';

export interface SetKeyExpiryOptions {
  expiresAt: Date;
  /** creation time of the new self-signatures (defaults to now) */
  now?: Date;
}

export interface ReSignedKey {
  privateKeyArmored: string;
  publicKeyArmored: string;
  fingerprint: string;
  expiresAt: Date;
}

export async function setKeyExpiry(
  privateKeyArmored: string,
  opts: SetKeyExpiryOptions,
): Promise<ReSignedKey> {
  const { readPrivateKey, reformatKey } = await loadOpenpgp();
  const key = await readPrivateKey({ armoredKey: privateKeyArmored }).catch(() => {
    throw new KeyEnvelopeError('Not an armored OpenPGP private key');
  });
  if (!key.isDecrypted()) throw new KeyEnvelopeError('The key is passphrase-protected');
  const createdAt = key.getCreationTime();
  // One-second resolution, and strictly after the old self-signature so every client prefers the new one.
  const now = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const keyExpirationTime = Math.floor((opts.expiresAt.getTime() - createdAt.getTime()) / 1000);
  if (opts.expiresAt.getTime() <= now.getTime() || keyExpirationTime <= 0) {
    throw new RangeError('The new expiry must lie in the future');
  }
  const userIDs = key.users
    .map((user) => user.userID)
    .filter((id) => id !== null)
    .map((id) => ({ name: id.name, email: id.email, comment: id.comment }));
  const { privateKey } = await reformatKey({
    privateKey: key,
    userIDs,
    keyExpirationTime,
    date: now,
    format: 'object',
    config: SIGNING_CONFIG,
  });
  await makeKeyExpiryNonCritical(privateKey);
  await privateKey.verifyPrimaryKey(now);
  const expiration = await privateKey.getExpirationTime();
  if (!(expiration instanceof Date)) throw new Error('The re-signed key carries no expiry');
  return {
    privateKeyArmored: privateKey.armor(),
    publicKeyArmored: privateKey.toPublic().armor(),
    fingerprint: fingerprintOf(privateKey),
    expiresAt: expiration,
  };
}
