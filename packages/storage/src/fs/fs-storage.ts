// Filesystem driver: one file per key under a root directory. Writes go to a temporary file in
// the target directory, are fsynced, then renamed over the key, so readers never see a partial file.
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toReadable } from '../body';
import { resolveByteRange } from '../byte-range';
import { StorageUnavailableError } from '../errors';
import type {
  ByteRange,
  IncompleteWrite,
  ListedObject,
  PutOptions,
  Storage,
  StorageBody,
  StorageHead,
  StoredObject,
} from '../storage';
import { assertStorageKey } from '../storage-key';

/**
 * Prefix of in-flight temporary files. `#` is not allowed in keys, so a temporary file can never
 * be mistaken for an object; one left by a crash can be swept by name.
 */
export const FS_TEMP_FILE_PREFIX = '.#tmp-';

export class FsStorage implements Storage {
  readonly kind = 'fs' as const;

  /** root must be absolute (createStorage ensures it). */
  constructor(readonly root: string) {}

  private readonly directorySyncs = new DirectorySyncs();

  /** contentType is not stored: it matters to S3 and its CDN; whoever serves files from disk sets it. */
  async put(key: string, body: StorageBody, opts?: PutOptions): Promise<{ size: number }> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    const firstCreated = await mkdir(dir, { recursive: true });
    const temp = join(dir, `${FS_TEMP_FILE_PREFIX}${randomUUID()}`);
    // flush: the data is fsynced before the stream closes, and pipeline resolves only on close.
    // Up to 1 MiB queued while a write is in flight goes out in one writev: fewer, larger writes.
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true, highWaterMark: 1 << 20 });
    const early = new EarlyWriteback(temp);
    try {
      await pipeline(toReadable(body), early.counting(), out);
      await early.finish();
      await rename(temp, path);
    } catch (err) {
      await early.finish().catch(() => {});
      // On failure pipeline settles before the file is closed; remove it only once it is.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(temp, { force: true });
      throw err;
    }
    if (opts?.shareDirectorySync && !firstCreated) await this.directorySyncs.sync(dir);
    else await syncDirectories(dir, firstCreated);
    return { size: out.bytesWritten };
  }

  async get(key: string, opts?: { range?: ByteRange }): Promise<StoredObject | null> {
    const file = await openExistingFile(this.pathOf(key));
    if (!file) return null;
    try {
      // Size and bytes come from the same open file, so a concurrent overwrite cannot mix them.
      const stats = await file.stat();
      if (!stats.isFile()) {
        await file.close();
        return null;
      }
      const whole = { size: stats.size, lastModified: stats.mtime };
      if (!opts?.range) {
        return { ...whole, body: file.createReadStream(), contentLength: stats.size };
      }
      const range = resolveByteRange(opts.range, stats.size);
      return {
        ...whole,
        body: file.createReadStream({ start: range.start, end: range.end }),
        contentLength: range.end - range.start + 1,
        range,
      };
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  async head(key: string): Promise<StorageHead | null> {
    const path = this.pathOf(key);
    try {
      const stats = await stat(path);
      return stats.isFile() ? { size: stats.size, lastModified: stats.mtime } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      // Missing is success; a directory is a key prefix, not an object, and is left alone.
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    for await (const { path, name } of walkFiles(join(this.root, ...prefix.split('/').filter(Boolean)))) {
      if (name.startsWith(FS_TEMP_FILE_PREFIX)) continue;
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const stats = await stat(path).catch(() => null);
      if (stats?.isFile()) yield { key, size: stats.size, lastModified: stats.mtime };
    }
  }

  async listIncompleteWrites(): Promise<IncompleteWrite[]> {
    const found: IncompleteWrite[] = [];
    for await (const { path, name } of walkFiles(this.root)) {
      if (!name.startsWith(FS_TEMP_FILE_PREFIX)) continue;
      const stats = await stat(path).catch(() => null);
      if (!stats?.isFile()) continue;
      const key = relative(this.root, path).split(sep).join('/');
      found.push({ id: key, key, startedAt: stats.mtime, size: stats.size });
    }
    return found;
  }

  async abortIncompleteWrite(write: IncompleteWrite): Promise<void> {
    // Only ever a temporary file under the root: never an object.
    const path = join(this.root, ...write.id.split('/'));
    if (!basename(path).startsWith(FS_TEMP_FILE_PREFIX) || relative(this.root, path).startsWith('..')) {
      throw new Error(`not a temporary file of this storage: ${write.id}`);
    }
    await rm(path, { force: true });
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      if (!(await stat(this.root)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new StorageUnavailableError(
        `filesystem storage at ${this.root} is not a readable and writable directory (${code})`,
      );
    }
  }

  /** Where a key's file lives (for servers that check or send the file themselves). */
  localPath(key: string): string {
    return this.pathOf(key);
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.root, ...key.split('/'));
  }
}

/** Bytes written between two early flushes of a file being written (EarlyWriteback). */
const WRITEBACK_STEP_BYTES = 32 * 1024 * 1024;

/**
 * Flushes a large file's data to disk while it is still being written, every WRITEBACK_STEP_BYTES, through
 * a descriptor of its own (one fdatasync at a time, on the thread pool): the kernel otherwise keeps up to
 * gigabytes dirty until the fsync before the rename, which then waits for the whole file's writeback
 * (about a second per GiB here) after the last byte arrived. A failed early flush is left to that fsync.
 */
class EarlyWriteback {
  private written = 0;
  private nextAt = WRITEBACK_STEP_BYTES;
  private handle: Promise<FileHandle> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly path: string) {}

  /**
   * Passes the chunks on as they come. (Not an async generator over the body: a paused stream's iterator
   * reads everything buffered at once, and `read()` concatenates it: a copy of every byte uploaded.)
   */
  counting(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.written += chunk.length;
        if (this.written >= this.nextAt && !this.inFlight) {
          this.nextAt = this.written + WRITEBACK_STEP_BYTES;
          this.flush();
        }
        done(null, chunk);
      },
    });
  }

  private flush(): void {
    this.handle ??= open(this.path, 'r');
    const handle = this.handle;
    // Not open yet (or gone): the next step tries again.
    handle.catch(() => {
      if (this.handle === handle) this.handle = null;
    });
    this.inFlight = handle
      .then((h) => h.datasync())
      .catch(() => {})
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** Waits for a flush under way and closes the descriptor. */
  async finish(): Promise<void> {
    await this.inFlight;
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle.catch(() => null))?.close();
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Every file below dir (none when dir is missing), depth first, one directory read at a time. */
async function* walkFiles(dir: string): AsyncGenerator<{ path: string; name: string }> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(path);
    else if (entry.isFile()) yield { path, name: entry.name };
  }
}

async function openExistingFile(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/**
 * Makes the rename durable: fsync the directory holding the new entry and, when mkdir created
 * directories, each parent that gained one of them.
 */
async function syncDirectories(dir: string, firstCreated: string | undefined): Promise<void> {
  const dirs = [dir];
  if (firstCreated) {
    for (let d = dir; ; d = dirname(d)) {
      dirs.push(dirname(d));
      if (d === firstCreated || dirname(d) === d) break;
    }
  }
  for (const d of new Set(dirs)) await syncDirectory(d);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The fsyncs of directories that files were renamed into, shared: a write arriving while a sync of its
 * directory runs waits for the next one, which starts after that sync (so after its rename), together
 * with every write that arrives meanwhile. A burst of uploads into one directory makes a few syncs
 * (each an open, fsync and close on the thread pool) instead of one each; a lone write syncs at once.
 */
class DirectorySyncs {
  private readonly pending = new Map<string, { running: Promise<void>; next: Promise<void> | null }>();

  sync(dir: string): Promise<void> {
    const entry = this.pending.get(dir);
    if (!entry) return this.start(dir);
    entry.next ??= entry.running.then(
      () => this.start(dir),
      () => this.start(dir),
    );
    return entry.next;
  }

  private start(dir: string): Promise<void> {
    const running = syncDirectory(dir);
    const entry = { running, next: null as Promise<void> | null };
    this.pending.set(dir, entry);
    const settled = () => {
      if (this.pending.get(dir) === entry && entry.next === null) this.pending.delete(dir);
    };
    running.then(settled, settled);
    return running;
  }
}
