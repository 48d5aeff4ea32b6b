// Generates a Pallet repository signing key: a v4, signing-only primary key (no subkeys),
// RSA-4096 or Ed25519 on the legacy EdDSA algorithm (22) that gpgv 2.2 and rpm ≥ 4.16 understand.
import type { KeyOptions } from 'openpgp';
import { fingerprintOf, keyIdOf } from './hex';
import { loadOpenpgp } from './load-openpgp';
import { makeKeyExpiryNonCritical } from './rpm-compatible-expiry';
import { SIGNING_CONFIG } from './signing-config';
import type { GeneratedKey, SigningAlgorithm } from './types';

export interface GenerateSigningKeyOptions {
  name: string;
  email: string;
  algorithm: SigningAlgorithm;
  expiresAt?: Date;
  /** Creation time of the key (defaults to the current time). */
  now?: Date;
}

const ALGORITHM_OPTIONS: Record<SigningAlgorithm, Pick<KeyOptions, 'type' | 'curve' | 'rsaBits'>> = {
  rsa4096: { type: 'rsa', rsaBits: 4096 },
  ed25519: { type: 'ecc', curve: 'ed25519Legacy' },
};

export async function generateSigningKey(opts: GenerateSigningKeyOptions): Promise<GeneratedKey> {
  const { generateKey } = await loadOpenpgp();
  // OpenPGP key times have one-second resolution; keep createdAt equal to what the key says.
  const createdAt = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const keyExpirationTime = opts.expiresAt ? secondsUntil(createdAt, opts.expiresAt) : undefined;
  const { privateKey } = await generateKey({
    ...ALGORITHM_OPTIONS[opts.algorithm],
    userIDs: [{ name: opts.name, email: opts.email }],
    subkeys: [],
    date: createdAt,
    keyExpirationTime,
    format: 'object',
    config: SIGNING_CONFIG,
  });
  if (keyExpirationTime !== undefined) await makeKeyExpiryNonCritical(privateKey);
  await privateKey.verifyPrimaryKey(createdAt); // the re-signed self-signature must still check out
  const publicKey = privateKey.toPublic();
  return {
    publicKeyArmored: publicKey.armor(),
    privateKeyArmored: privateKey.armor(),
    fingerprint: fingerprintOf(publicKey),
    keyId: keyIdOf(publicKey),
    algorithm: opts.algorithm,
    bits: publicKey.getAlgorithmInfo().bits,
    createdAt: publicKey.getCreationTime(),
    expiresAt:
      keyExpirationTime === undefined ? undefined : new Date(createdAt.getTime() + keyExpirationTime * 1000),
  };
}

function secondsUntil(from: Date, to: Date): number {
  const seconds = Math.floor((to.getTime() - from.getTime()) / 1000);
  if (seconds <= 0) throw new Error('expiresAt must be after the key creation time');
  return seconds;
}
