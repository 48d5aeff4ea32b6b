// In-memory files of a publication before they are stored, and content-addressed storage of their bytes.
import { createHash } from 'node:crypto';
import type { CoreContext } from '../context/core-context';

export interface PublicationFileSpec {
  /** relative to the distribution's download root */
  path: string;
  bytes: Uint8Array;
  contentType: string;
  immutable: boolean;
  /** the bytes' sha256 when already known, so storing them does not hash them again */
  sha256?: string;
}

/** What a Release lists: MD5Sum for old clients, SHA256 and SHA512; SHA1 is left out (apt ignores it). */
export interface Digests {
  md5: string;
  sha256: string;
  sha512: string;
  size: number;
}

export function digestsOf(bytes: Uint8Array): Digests {
  const h = (a: string) => createHash(a).update(bytes).digest('hex');
  return { md5: h('md5'), sha256: h('sha256'), sha512: h('sha512'), size: bytes.length };
}

export function contentKey(sha256: string): string {
  return `files/sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** Writes bytes under their sha256 (computed unless given) unless an identical object is already there. */
export async function storeContentAddressed(
  ctx: CoreContext,
  bytes: Uint8Array,
  contentType: string,
  knownSha256?: string,
) {
  const sha256 = knownSha256 ?? createHash('sha256').update(bytes).digest('hex');
  const storageKey = contentKey(sha256);
  const existing = await ctx.storage.head(storageKey);
  if (!existing || existing.size !== bytes.length) await ctx.storage.put(storageKey, bytes, { contentType });
  return { storageKey, sha256, size: bytes.length };
}
