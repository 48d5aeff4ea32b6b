// Formats key identifiers the way gpg and the Pallet API print them: upper-case hex.
import type { Key } from 'openpgp';

export function fingerprintOf(key: Key): string {
  return key.getFingerprint().toUpperCase();
}

export function keyIdOf(key: Key): string {
  return key.getKeyID().toHex().toUpperCase();
}
