// S3 driver: one object per key under an optional prefix. Streams go up as a multipart upload
// that S3 makes visible only on completion (and aborts on failure), so readers never see a part.

import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { toBuffer } from '../body';
import { assertByteRangeShape, resolveByteRange } from '../byte-range';
import { RangeNotSatisfiableError, StorageUnavailableError } from '../errors';
import type {
  ByteRange,
  IncompleteWrite,
  ListedObject,
  Storage,
  StorageBody,
  StorageHead,
  StoredObject,
} from '../storage';
import { assertStorageKey } from '../storage-key';
import { putBytes, putStream } from './multipart-put';
import { errorNameOf, httpStatusOf, s3Failure } from './s3-failure';

/** S3's smallest part (except the last): a multipart upload holds (queue + 1) parts in memory. */
export const S3_MIN_PART_SIZE = 5 * 1024 * 1024;
/**
 * The default part size (an object has at most 10,000 parts: 78 GiB at 8 MiB, 48.8 GiB at 5 MiB). A
 * streamed put holds (queue + 1) part buffers (multipart-put.ts): 24 MiB at the defaults.
 */
export const S3_PART_SIZE = 8 * 1024 * 1024;
/** The default number of parts sent at once. */
export const S3_UPLOAD_QUEUE_SIZE = 2;

export interface S3ConnectionOptions {
  /** For S3-compatible services (MinIO, Garage, Ceph...); AWS when absent. */
  endpoint?: string;
  region?: string;
  /** Both or neither; the SDK's default chain (env, profile, instance role) when absent. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Defaults to true with a custom endpoint, which most S3-compatible services need. */
  forcePathStyle?: boolean;
  /** Multipart part size in bytes, at least S3_MIN_PART_SIZE; S3_PART_SIZE when absent. */
  partSize?: number;
  /** Parts uploaded at once, at least 1; S3_UPLOAD_QUEUE_SIZE when absent. */
  uploadQueueSize?: number;
}

export interface S3StorageOptions extends S3ConnectionOptions {
  bucket: string;
  /** Prepended to every key, without leading or trailing `/`; '' for none. */
  prefix?: string;
}

export class S3Storage implements Storage {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly secrets: string[];
  private readonly where: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(opts: S3StorageOptions) {
    this.partSize = opts.partSize ?? S3_PART_SIZE;
    this.queueSize = opts.uploadQueueSize ?? S3_UPLOAD_QUEUE_SIZE;
    if (!Number.isInteger(this.partSize) || this.partSize < S3_MIN_PART_SIZE) {
      throw new RangeError(`S3 part size must be an integer of at least ${S3_MIN_PART_SIZE} bytes`);
    }
    if (!Number.isInteger(this.queueSize) || this.queueSize < 1) {
      throw new RangeError('S3 upload queue size must be a positive integer');
    }
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? `${opts.prefix}/` : '';
    this.secrets = [opts.accessKeyId, opts.secretAccessKey].filter((s): s is string => Boolean(s));
    this.where =
      `s3://${this.bucket}/${this.prefix}` + (opts.endpoint ? ` at ${safeOrigin(opts.endpoint)}` : '');
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region ?? 'us-east-1',
      forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
      followRegionRedirects: true,
      credentials:
        opts.accessKeyId && opts.secretAccessKey
          ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
          : undefined,
    });
  }

  async put(key: string, body: StorageBody, opts?: { contentType?: string }): Promise<{ size: number }> {
    const target = { Bucket: this.bucket, Key: this.objectKey(key), ContentType: opts?.contentType };
    const parts = {
      partSize: this.partSize,
      queueSize: this.queueSize,
      failure: (err: unknown) => s3Failure(`upload of ${this.describe(key)}`, err, this.secrets),
    };
    if (!(body instanceof Readable)) {
      const bytes = toBuffer(body);
      await putBytes(this.client, target, bytes, parts);
      return { size: bytes.byteLength };
    }
    return { size: await putStream(this.client, target, body, parts) };
  }

  async get(key: string, opts?: { range?: ByteRange }): Promise<StoredObject | null> {
    const Key = this.objectKey(key);
    const asked = opts?.range;
    if (asked) assertByteRangeShape(asked);
    let res: GetObjectCommandOutput;
    try {
      res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key,
          Range: asked ? `bytes=${asked.start}-${asked.end}` : undefined,
        }),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      if (asked && (httpStatusOf(err) === 416 || errorNameOf(err) === 'InvalidRange')) {
        const head = await this.head(key);
        if (!head) return null;
        throw new RangeNotSatisfiableError(asked, head.size);
      }
      throw s3Failure(`GetObject of ${this.describe(key)}`, err, this.secrets);
    }
    const body = res.Body as Readable;
    const lastModified = res.LastModified ?? new Date(0);
    if (!asked) {
      const size = res.ContentLength ?? 0;
      return { body, size, lastModified, contentLength: size };
    }
    const served = parseContentRange(res.ContentRange);
    if (!served) {
      body.destroy();
      throw new StorageUnavailableError(`S3 GetObject of ${this.describe(key)} ignored the Range header`);
    }
    let range: ByteRange;
    try {
      // Some S3-compatible servers answer 206 where S3 answers 416 (e.g. any range of an empty object).
      range = resolveByteRange(asked, served.size);
    } catch (err) {
      body.destroy();
      throw err;
    }
    if (served.start !== range.start || served.end < range.end) {
      body.destroy();
      throw new StorageUnavailableError(
        `S3 GetObject of ${this.describe(key)} served bytes ${served.start}-${served.end} for ${range.start}-${range.end}`,
      );
    }
    const contentLength = range.end - range.start + 1;
    // Never hand out more bytes than contentLength says (s3rver serves everything for bytes=0-0).
    const exact =
      served.end > range.end ? Readable.from(firstBytes(body, contentLength), { objectMode: false }) : body;
    return { body: exact, size: served.size, lastModified, contentLength, range };
  }

  async head(key: string): Promise<StorageHead | null> {
    const Key = this.objectKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: res.ContentLength ?? 0, lastModified: res.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw s3Failure(`HeadObject of ${this.describe(key)}`, err, this.secrets);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      if (isNotFound(err)) return;
      throw s3Failure(`DeleteObject of ${this.describe(key)}`, err, this.secrets);
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ContinuationToken: token,
          }),
        );
      } catch (err) {
        throw s3Failure(`ListObjectsV2 of ${this.describe(prefix)}`, err, this.secrets);
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key?.startsWith(this.prefix)) continue;
        yield {
          key: o.Key.slice(this.prefix.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async listIncompleteWrites(): Promise<IncompleteWrite[] | null> {
    const found: IncompleteWrite[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      let page: ListMultipartUploadsCommandOutput;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
      } catch (err) {
        // Some S3-compatible servers (s3rver among them) do not list multipart uploads: a bucket
        // lifecycle rule (AbortIncompleteMultipartUpload) is the way there.
        if (errorNameOf(err) === 'NotImplemented' || httpStatusOf(err) === 501) return null;
        throw s3Failure(`ListMultipartUploads of ${this.where}`, err, this.secrets);
      }
      for (const u of page.Uploads ?? []) {
        if (!u.Key?.startsWith(this.prefix) || !u.UploadId) continue;
        found.push({
          id: u.UploadId,
          key: u.Key.slice(this.prefix.length),
          startedAt: u.Initiated ?? new Date(0),
        });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return found;
  }

  async abortIncompleteWrite(write: IncompleteWrite): Promise<void> {
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.objectKey(write.key),
          UploadId: write.id,
        }),
      );
    } catch (err) {
      if (isNotFound(err) || errorNameOf(err) === 'NoSuchUpload') return;
      throw s3Failure(`AbortMultipartUpload of ${this.describe(write.key)}`, err, this.secrets);
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const status = httpStatusOf(err);
      const hint =
        status === 404
          ? 'the bucket does not exist'
          : status === 403
            ? 'access denied: check the credentials and the bucket policy'
            : status === undefined
              ? 'the endpoint cannot be reached'
              : 'the service refused the request';
      throw s3Failure(`storage ${this.where} is not usable: ${hint}; HeadBucket`, err, this.secrets);
    }
  }

  /** Releases the HTTP agent's sockets; the storage must not be used afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    assertStorageKey(key);
    return this.prefix + key;
  }

  private describe(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }
}

function isNotFound(err: unknown): boolean {
  // A missing bucket is a misconfiguration, not a missing object (HEAD answers carry no code, so a
  // HeadObject in a missing bucket still reads as NotFound: check() is there for that).
  const name = errorNameOf(err);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatusOf(err) === 404;
}

async function* firstBytes(source: Readable, count: number): AsyncGenerator<Buffer> {
  let left = count;
  // Returning early ends the for-await, which destroys the source and frees its socket.
  for await (const chunk of source) {
    const part = (chunk as Buffer).subarray(0, left);
    left -= part.byteLength;
    yield part;
    if (left === 0) return;
  }
}

/** `bytes 0-9/100` → served range and full size. */
function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** The endpoint without credentials, path or query, for messages. */
function safeOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(unparsable endpoint)';
  }
}
