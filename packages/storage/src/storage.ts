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

export interface Storage {
  readonly kind: 'fs' | 's3';
  /** Streams body to key; resolves when durable. Visible only when complete. Overwrites are allowed but callers avoid them. */
  put(key: string, body: StorageBody, opts?: { contentType?: string }): Promise<{ size: number }>;
  /** null when absent. range is inclusive [start, end] like HTTP. */
  get(key: string, opts?: { range?: ByteRange }): Promise<StoredObject | null>;
  head(key: string): Promise<StorageHead | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Health probe: throws a StorageUnavailableError with a clear message when unusable. */
  check(): Promise<void>;
}
