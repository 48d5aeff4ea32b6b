// What a worker built for each distribution's latest publication (deb indexes, rpm repodata), kept so
// the next publication that only adds packages appends to it without reading storage back. One entry a
// distribution, looked up by publication id (so only while that publication is the one it was built
// for), within a byte budget: beyond it, the least recently used distributions are dropped first.
interface Entry<T> {
  distributionId: string;
  value: T;
  bytes: number;
}

export class LatestPublicationCache<T> {
  private readonly byPublication = new Map<string, Entry<T>>();
  private total = 0;

  /** `maxEntryBytes`: a larger value is never kept (it would push out every other distribution). */
  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes = maxBytes,
  ) {}

  /** Keeps `value` as what `distributionId`'s publication `publicationId` was built with. */
  remember(distributionId: string, publicationId: string, value: T, bytes: number): void {
    for (const [id, entry] of this.byPublication) if (entry.distributionId === distributionId) this.drop(id);
    if (bytes > this.maxEntryBytes) return;
    this.byPublication.set(publicationId, { distributionId, value, bytes });
    this.total += bytes;
    for (const id of this.byPublication.keys()) {
      if (this.total <= this.maxBytes) break;
      this.drop(id);
    }
  }

  /** What publication `publicationId` was built with, when this process built it and still holds it. */
  recall(publicationId: string): T | undefined {
    const entry = this.byPublication.get(publicationId);
    if (!entry) return undefined;
    // Most recently used last.
    this.byPublication.delete(publicationId);
    this.byPublication.set(publicationId, entry);
    return entry.value;
  }

  /** Forgets every entry (as a restarted worker would). */
  clear(): void {
    this.byPublication.clear();
    this.total = 0;
  }

  private drop(publicationId: string): void {
    const entry = this.byPublication.get(publicationId);
    if (!entry) return;
    this.byPublication.delete(publicationId);
    this.total -= entry.bytes;
  }
}
