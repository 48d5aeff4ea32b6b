// The indexes of the publications this process made last, by distribution, so that the next publication
// that only adds packages appends to them without reading them back from storage and hashing them again
// (load-deb-index-base.ts). An entry is used only for the publication it was built for, and only when the
// stored files that publication lists carry the digests the entry holds; anything else reads storage.
import type { DebIndexBase } from './build-deb-publication';

interface Entry {
  distributionId: string;
  indexes: ReadonlyMap<string, DebIndexBase>;
  bytes: number;
}

/** Beyond this many bytes of indexes, the least recently used distributions are dropped first. */
const MAX_BYTES = 256 * 2 ** 20;

const byPublication = new Map<string, Entry>();
let total = 0;

function drop(publicationId: string): void {
  const entry = byPublication.get(publicationId);
  if (!entry) return;
  byPublication.delete(publicationId);
  total -= entry.bytes;
}

/** Keeps the indexes publication `publicationId` (of `distributionId`) was built with. */
export function rememberDebIndexes(
  distributionId: string,
  publicationId: string,
  indexes: ReadonlyMap<string, DebIndexBase>,
): void {
  for (const [id, entry] of byPublication) if (entry.distributionId === distributionId) drop(id);
  let bytes = 0;
  for (const i of indexes.values()) bytes += i.plain.length + i.gz.length;
  if (bytes > MAX_BYTES) return;
  byPublication.set(publicationId, { distributionId, indexes, bytes });
  total += bytes;
  for (const id of byPublication.keys()) {
    if (total <= MAX_BYTES) break;
    drop(id);
  }
}

/** The indexes publication `publicationId` was built with, when this process built it and still holds them. */
export function recallDebIndexes(publicationId: string): ReadonlyMap<string, DebIndexBase> | undefined {
  const entry = byPublication.get(publicationId);
  if (!entry) return undefined;
  // Most recently used last.
  byPublication.delete(publicationId);
  byPublication.set(publicationId, entry);
  return entry.indexes;
}

/** Forgets every entry (as a restarted worker would). */
export function forgetDebIndexes(): void {
  byPublication.clear();
  total = 0;
}
