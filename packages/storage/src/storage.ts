// The Storage contract shared by every driver: callers write against this and never learn which
// backend (local filesystem or S3 behind a CDN) holds the bytes.
import type { Readable } from 'node:stream';

/** A byte range, inclusive at both ends like HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export type StorageBody = Readable | Uint8Array | string;

export interface StoredObject {
  /** The bytes (the range only, when one was asked). Consume or destroy it: it holds a file or socket. */
  body: Readable;
  /** Size of the whole object, whatever the range. */
  size: number;
  lastModified: Date;
  /** Bytes that `body` will yield. */
  contentLength: number;
  /** The range served, end clamped to the last byte; absent for a whole-object read. */
  range?: ByteRange;
}

export interface StorageHead {
  size: number;
  lastModified: Date;
}

/** An object as a listing sees it. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * A write that never completed: a temporary file a crashed process left on disk, or an S3 multipart
 * upload that was never completed nor aborted (its parts are billed but invisible).
 */
export interface IncompleteWrite {
  /** driver-specific handle for abortIncompleteWrite */
  id: string;
  /** the key it was writing (the temporary file's own path, relative to the root, on disk) */
  key: string;
  startedAt: Date;
  /** bytes it holds, when the listing tells */
  size?: number;
}

export interface PutOptions {
  contentType?: string;
  /**
   * Filesystem storage: the directory's fsync after the rename may be one shared with writes into the
   * same directory finishing at the same time (still one that starts after this write's rename). Uploads
   * ask for it: a burst of them lands in one directory.
   */
  shareDirectorySync?: boolean;
}

export interface Storage {
  readonly kind: 'fs' | 's3';
  /** Streams body to key; resolves when durable. Visible only when complete. Overwrites are allowed but callers avoid them. */
  put(key: string, body: StorageBody, opts?: PutOptions): Promise<{ size: number }>;
  /** null when absent. range is inclusive [start, end] like HTTP. */
  get(key: string, opts?: { range?: ByteRange }): Promise<StoredObject | null>;
  head(key: string): Promise<StorageHead | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Every object under a key prefix (`uploads/`), in no particular order. For garbage collection. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Writes left incomplete by crashes; null when the backend cannot list them (see the README). */
  listIncompleteWrites(): Promise<IncompleteWrite[] | null>;
  /** Removes one incomplete write (idempotent). */
  abortIncompleteWrite(write: IncompleteWrite): Promise<void>;
  /** Health probe: throws a StorageUnavailableError with a clear message when unusable. */
  check(): Promise<void>;
}
