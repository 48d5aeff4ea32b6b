// Reads the facts Pallet stores about a public key (fingerprint, algorithm, validity, user ids).
import type { Key } from 'openpgp';
import { fingerprintOf, keyIdOf } from './hex';
import { loadOpenpgp } from './load-openpgp';
import type { KeyInfo } from './types';

export async function readKeyInfo(armoredPublicKey: string): Promise<KeyInfo> {
  const { readKey } = await loadOpenpgp();
  let key: Key;
  try {
    key = await readKey({ armoredKey: armoredPublicKey });
  } catch {
    throw new Error('Not an armored OpenPGP public key');
  }
  const { algorithm, bits, curve } = key.getAlgorithmInfo();
  const expiration = await key.getExpirationTime();
  return {
    fingerprint: fingerprintOf(key),
    keyId: keyIdOf(key),
    algorithm: algorithmName(algorithm, bits, curve),
    bits,
    version: key.keyPacket.version,
    createdAt: key.getCreationTime(),
    expiresAt: expiration instanceof Date ? expiration : undefined,
    userIds: key.getUserIDs(),
  };
}

function algorithmName(algorithm: string, bits?: number, curve?: string): string {
  if (algorithm.startsWith('rsa') && bits) return `rsa${bits}`;
  if (algorithm === 'ed25519' || (algorithm === 'eddsaLegacy' && curve === 'ed25519Legacy')) return 'ed25519';
  return algorithm;
}
