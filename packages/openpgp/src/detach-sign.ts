// Detached binary-document (type 0x00) signatures over exact bytes: armored for Release.gpg and
// repomd.xml.asc (one signature per key), raw packet bytes for an RPM header signature (one key).
import type { SignOptions } from './clearsign-text';
import { loadOpenpgp } from './load-openpgp';
import { readSigningKeys, SIGNING_CONFIG } from './signing-config';

export interface DetachSignOptions extends SignOptions {
  armor: boolean;
}

export function detachSign(
  data: Uint8Array | string,
  privateKeysArmored: string[],
  opts: DetachSignOptions & { armor: true },
): Promise<string>;
export function detachSign(
  data: Uint8Array | string,
  privateKeysArmored: string[],
  opts: DetachSignOptions & { armor: false },
): Promise<Uint8Array>;
export function detachSign(
  data: Uint8Array | string,
  privateKeysArmored: string[],
  opts: DetachSignOptions,
): Promise<string | Uint8Array>;
export async function detachSign(
  data: Uint8Array | string,
  privateKeysArmored: string[],
  opts: DetachSignOptions,
): Promise<string | Uint8Array> {
  // rpm ≤ 4.19 stores exactly one signature packet per header tag.
  if (!opts.armor && privateKeysArmored.length !== 1) {
    throw new Error('A raw (unarmored) detached signature takes exactly one key');
  }
  const { createMessage, sign } = await loadOpenpgp();
  const signingKeys = await readSigningKeys(privateKeysArmored);
  const message = await createMessage({ binary: toBytes(data) });
  const common = { message, signingKeys, detached: true, date: opts.date, config: SIGNING_CONFIG };
  if (opts.armor) return sign({ ...common, format: 'armored' });
  const packets = await sign({ ...common, format: 'binary' });
  if (!(packets instanceof Uint8Array)) throw new Error('openpgp.js returned a stream for in-memory data');
  return packets;
}

/** Strings are signed as their UTF-8 bytes, unchanged (no line-ending normalisation). */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
