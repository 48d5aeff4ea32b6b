// The bytes of small stored files (indexes, InRelease, most packages), kept in memory by storage key,
// bounded by total bytes with least-recently-used eviction. Keys are content-addressed, yet every hit
// is checked against the file on disk (inode, size, mtime: one stat, no read), so bytes changed in
// storage behind Pallet's back are served as they now are, never masked by the cache. Only
// filesystem storage is cached: S3 offers no check that cheap, and a CDN or the edge caches in front.
import { statSync } from 'node:fs';
import { FsStorage, type Storage } from '@pallet/storage';

interface Entry {
  bytes: Buffer;
  stamp: string;
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

  /** The whole file, from memory or read once from storage; null when storage no longer has it. */
  get(key: string): Promise<Buffer | null> | Buffer | null {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (hit.stamp === this.stampOf(key)) {
        // Map order is insertion order: re-inserting marks the entry most recently used.
        this.entries.set(key, hit);
        return hit.bytes;
      }
      this.bytes -= hit.bytes.length;
    }
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
    this.entries.set(key, { bytes, stamp: before });
    this.bytes += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(k);
      this.bytes -= v.bytes.length;
    }
    return bytes;
  }
}
