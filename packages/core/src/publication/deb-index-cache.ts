// The indexes of the publications this process made last, by distribution, so that the next publication
// that only adds packages appends to them without reading them back from storage and hashing them again
// (load-deb-index-base.ts). An entry is used only for the publication it was built for, and only when the
// stored files that publication lists carry the digests the entry holds; anything else reads storage.
import type { DebIndexBase } from './build-deb-publication';
import { LatestPublicationCache } from './latest-publication-cache';

/** Beyond this many bytes of indexes, the least recently used distributions are dropped first. */
const MAX_BYTES = 256 * 2 ** 20;

const cache = new LatestPublicationCache<ReadonlyMap<string, DebIndexBase>>(MAX_BYTES);

/** Keeps the indexes publication `publicationId` (of `distributionId`) was built with. */
export function rememberDebIndexes(
  distributionId: string,
  publicationId: string,
  indexes: ReadonlyMap<string, DebIndexBase>,
): void {
  let bytes = 0;
  for (const i of indexes.values()) bytes += i.plain.length + i.gz.length;
  cache.remember(distributionId, publicationId, indexes, bytes);
}

/** The indexes publication `publicationId` was built with, when this process built it and still holds them. */
export function recallDebIndexes(publicationId: string): ReadonlyMap<string, DebIndexBase> | undefined {
  return cache.recall(publicationId);
}

/** Forgets every entry (as a restarted worker would). */
export function forgetDebIndexes(): void {
  cache.clear();
}
