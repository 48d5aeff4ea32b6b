// Off-the-hot-path bookkeeping of /dl: download counts (package files only) and each token's access log.
// A request adds to in-memory maps (no I/O); flush() writes them in batches, every few seconds and at
// shutdown. What counts as a download (docs/statistics.md): a GET of a package file answered 200, or 206
// for a range starting at byte 0; HEAD, 304 and later ranges of the same file are not counted again.
import type { CoreContext } from '../context/core-context';
import { writeDownloadCounts } from '../stats/write-download-counts';
import { checkSuspiciousTokens } from '../token/check-suspicious-tokens';
import { writeTokenAccess } from '../token/write-token-access';

export interface PackageFileRef {
  repositoryId: string;
  distribution: string;
  name: string;
  version: string;
  architecture: string;
}

export interface DownloadCountRow extends PackageFileRef {
  hour: Date;
  tokenId: string;
  count: number;
}

export interface TokenAccessRow {
  tokenId: string;
  minute: Date;
  ip: string;
  requests: number;
  files: Set<string>;
}

/** distinct file paths kept per (token, minute, address) row */
export const ACCESS_FILES_PER_ROW = 10;
/** beyond this many pending keys a map stops taking new keys until the next flush (a flood of unique keys) */
const MAX_PENDING_KEYS = 200_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export function countsAsDownload(
  method: string | undefined,
  status: number,
  range: string | undefined,
): boolean {
  if (method !== 'GET') return false;
  if (status === 200) return true;
  return status === 206 && typeof range === 'string' && /^bytes=0-/.test(range.trim());
}

export class DownloadRecorder {
  private counts = new Map<string, DownloadCountRow>();
  private access = new Map<string, TokenAccessRow>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly ctx: CoreContext) {}

  recordDownload(file: PackageFileRef, tokenId: string | null, now = Date.now()): void {
    const hour = new Date(Math.floor(now / HOUR) * HOUR);
    const token = tokenId ?? '';
    const key = `${hour.getTime()}\n${file.repositoryId}\n${file.distribution}\n${file.name}\n${file.version}\n${file.architecture}\n${token}`;
    const row = this.counts.get(key);
    if (row) row.count++;
    else if (this.counts.size < MAX_PENDING_KEYS)
      this.counts.set(key, { ...file, hour, tokenId: token, count: 1 });
  }

  recordAccess(tokenId: string, ip: string, path: string, now = Date.now()): void {
    const minute = new Date(Math.floor(now / MINUTE) * MINUTE);
    const key = `${tokenId}\n${minute.getTime()}\n${ip}`;
    let row = this.access.get(key);
    if (!row) {
      if (this.access.size >= MAX_PENDING_KEYS) return;
      row = { tokenId, minute, ip, requests: 0, files: new Set() };
      this.access.set(key, row);
    }
    row.requests++;
    if (row.files.size < ACCESS_FILES_PER_ROW) row.files.add(path.slice(0, 300));
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Writes what is pending; a failed write is merged back and tried again at the next flush. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.flushNow().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async flushNow(): Promise<void> {
    const counts = [...this.counts.values()];
    const access = [...this.access.values()];
    this.counts = new Map();
    this.access = new Map();
    if (counts.length) {
      try {
        await writeDownloadCounts(this.ctx, counts);
      } catch (err) {
        for (const r of counts) this.mergeCount(r);
        this.ctx.log.warn(
          { err: (err as Error).message, rows: counts.length },
          'download counts not written',
        );
      }
    }
    if (access.length) {
      try {
        await writeTokenAccess(this.ctx, access);
      } catch (err) {
        for (const r of access) this.mergeAccess(r);
        this.ctx.log.warn(
          { err: (err as Error).message, rows: access.length },
          'token access log not written',
        );
        return;
      }
      try {
        await checkSuspiciousTokens(this.ctx, [...new Set(access.map((r) => r.tokenId))]);
      } catch (err) {
        this.ctx.log.warn({ err: (err as Error).message }, 'suspicious-token check failed');
      }
    }
  }

  private mergeCount(r: DownloadCountRow): void {
    const key = `${r.hour.getTime()}\n${r.repositoryId}\n${r.distribution}\n${r.name}\n${r.version}\n${r.architecture}\n${r.tokenId}`;
    const row = this.counts.get(key);
    if (row) row.count += r.count;
    else this.counts.set(key, r);
  }

  private mergeAccess(r: TokenAccessRow): void {
    const key = `${r.tokenId}\n${r.minute.getTime()}\n${r.ip}`;
    const row = this.access.get(key);
    if (!row) this.access.set(key, r);
    else {
      row.requests += r.requests;
      for (const f of r.files) if (row.files.size < ACCESS_FILES_PER_ROW) row.files.add(f);
    }
  }
}
