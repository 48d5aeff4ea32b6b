// The bytes of small stored files (indexes, InRelease, most packages), kept in memory by storage key,
// bounded by total bytes with least-recently-used eviction. Keys are content-addressed, yet a hit is
// checked against the file on disk (inode, size, mtime: one stat, no read) when its last check is more
// than RECHECK_MS old, so bytes changed in storage behind Pallet's back are served as they now are
// within that window (like nginx's open_file_cache_valid, at a thousandth of its default), never masked
// for longer. Under load that is one stat a second per hot file instead of one per request. Only
// filesystem storage is cached: S3 offers no check that cheap, and a CDN or the edge caches in front.
import { statSync } from 'node:fs';
import { FsStorage, type Storage } from '@pallet/storage';

/** How long a successful check of a cached file against the disk holds. */
export const RECHECK_MS = 1000;

interface Entry {
  bytes: Buffer;
  stamp: string;
  checkedAt: number;
}

export class BlobMemoryCache {
  private entries = new Map<string, Entry>();
  private loading = new Map<string, Promise<Buffer | null>>();
  private bytes = 0;
  private readonly fs: FsStorage | null;
  readonly maxFileBytes: number;

  constructor(
    private readonly storage: Storage,
    readonly budgetBytes: number,
    /** how long a check against the disk holds (tests: 0, every hit checks) */
    private readonly recheckMs = RECHECK_MS,
  ) {
    this.fs = storage instanceof FsStorage ? storage : null;
    this.maxFileBytes = this.fs ? Math.min(4 * 1024 * 1024, Math.floor(budgetBytes / 8)) : 0;
  }

  /** Whether a file of this size is served from memory (others are streamed from storage). */
  fits(size: number): boolean {
    return size <= this.maxFileBytes;
  }

  private stampOf(key: string): string | null {
    const st = this.fs ? statSync(this.fs.localPath(key), { throwIfNoEntry: false }) : undefined;
    return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : null;
  }

  /** The file's bytes if they are in memory and still match the disk; null otherwise (no I/O but a stat). */
  peek(key: string): Buffer | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    const now = performance.now();
    if (now - hit.checkedAt >= this.recheckMs) {
      if (hit.stamp !== this.stampOf(key)) {
        this.entries.delete(key);
        this.bytes -= hit.bytes.length;
        return null;
      }
      hit.checkedAt = now;
      // Map order is insertion order: re-inserting marks the entry most recently used (once per check,
      // which is often enough for eviction order and keeps the hot path free of map writes).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit.bytes;
  }

  /** The whole file, from memory or read once from storage; null when storage no longer has it. */
  get(key: string): Promise<Buffer | null> | Buffer | null {
    const hit = this.peek(key);
    if (hit) return hit;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(key: string): Promise<Buffer | null> {
    const before = this.stampOf(key);
    const obj = await this.storage.get(key);
    if (!obj) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of obj.body) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    // Changed while being read: serve what was read, remember nothing.
    if (before === null || before !== this.stampOf(key)) return bytes;
    this.entries.set(key, { bytes, stamp: before, checkedAt: performance.now() });
    this.bytes += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(k);
      this.bytes -= v.bytes.length;
    }
    return bytes;
  }
}
