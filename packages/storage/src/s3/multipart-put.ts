// Writes one S3 object from a stream or from bytes: a single PutObject when the body fits in one part,
// else a multipart upload with up to `queueSize` parts in flight. A stream is copied chunk by chunk into a
// fixed set of part buffers that are reused from part to part: an upload of any size holds at most
// (queueSize + 1) × partSize bytes and leaves no garbage behind its parts. (@aws-sdk/lib-storage, used
// before, collects each part's chunks and concatenates them, and the next part starts as a view of that
// concatenation: about three parts' worth per upload, all of it garbage that only V8's old-generation
// collections free. bench/README.md, "Upload memory: 1 GiB to S3", has the measurements.)
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export interface ObjectTarget {
  Bucket: string;
  Key: string;
  ContentType?: string;
}

export interface PartOptions {
  partSize: number;
  queueSize: number;
  /** Turns an S3 error into the error the caller sees (the body is destroyed with it). */
  failure: (err: unknown) => Error;
}

/** One multipart upload: created at its first part, completed or aborted once its parts have settled. */
class MultipartUpload {
  private uploadId: string | undefined;
  private inFlight = 0;
  private partNumber = 0;
  private readonly parts: CompletedPart[] = [];
  private failed: { error: Error } | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly client: S3Client,
    private readonly target: ObjectTarget,
    private readonly opts: PartOptions,
    private readonly onFailure: (error: Error) => void = () => {},
  ) {}

  get started(): boolean {
    return this.partNumber > 0;
  }

  /** Starts sending `bytes` as the next part once the queue has room; `release` runs when it has settled. */
  async send(bytes: Buffer, release: () => void = () => {}): Promise<void> {
    while (this.inFlight >= this.opts.queueSize && !this.failed) await this.settled();
    this.throwIfFailed();
    const partNumber = ++this.partNumber;
    this.inFlight++;
    try {
      this.uploadId ??= await this.create();
    } catch (err) {
      this.inFlight--;
      release();
      this.fail(err);
      this.throwIfFailed();
    }
    this.client
      .send(
        new UploadPartCommand({
          Bucket: this.target.Bucket,
          Key: this.target.Key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: bytes,
        }),
      )
      .then((res) => {
        if (!res.ETag) throw new Error(`part ${partNumber} was answered without an ETag`);
        this.parts.push({
          PartNumber: partNumber,
          ETag: res.ETag,
          ChecksumCRC32: res.ChecksumCRC32,
          ChecksumCRC32C: res.ChecksumCRC32C,
          ChecksumCRC64NVME: res.ChecksumCRC64NVME,
          ChecksumSHA1: res.ChecksumSHA1,
          ChecksumSHA256: res.ChecksumSHA256,
        });
      })
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.inFlight--;
        release();
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      });
  }

  async complete(): Promise<void> {
    await this.drain();
    this.throwIfFailed();
    this.parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.target.Bucket,
          Key: this.target.Key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      );
    } catch (err) {
      this.fail(err);
      await this.abort();
      this.throwIfFailed();
    }
  }

  /** Waits for the parts in flight, then drops the parts S3 holds (a failed abort leaves an incomplete write). */
  async abort(): Promise<void> {
    await this.drain();
    const uploadId = this.uploadId;
    this.uploadId = undefined;
    if (!uploadId) return;
    await this.client
      .send(
        new AbortMultipartUploadCommand({
          Bucket: this.target.Bucket,
          Key: this.target.Key,
          UploadId: uploadId,
        }),
      )
      .catch(() => {});
  }

  private async create(): Promise<string> {
    // As lib-storage does: with the SDK's default checksums, the parts carry CRC32s the upload must expect.
    const checksums = await this.client.config.requestChecksumCalculation();
    const res = await this.client.send(
      new CreateMultipartUploadCommand({
        ...this.target,
        ChecksumAlgorithm: checksums === 'WHEN_SUPPORTED' ? ChecksumAlgorithm.CRC32 : undefined,
      }),
    );
    if (!res.UploadId) throw new Error('CreateMultipartUpload was answered without an UploadId');
    return res.UploadId;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = { error: this.opts.failure(err) };
    this.onFailure(this.failed.error);
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failed.error;
  }

  private settled(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.inFlight > 0) await this.settled();
  }
}

async function putObject(client: S3Client, target: ObjectTarget, bytes: Buffer, opts: PartOptions) {
  try {
    await client.send(new PutObjectCommand({ ...target, Body: bytes }));
  } catch (err) {
    throw opts.failure(err);
  }
}

/** Writes `bytes` (their parts are views of them, not copies). */
export async function putBytes(
  client: S3Client,
  target: ObjectTarget,
  bytes: Buffer,
  opts: PartOptions,
): Promise<void> {
  if (bytes.byteLength <= opts.partSize) return putObject(client, target, bytes, opts);
  const upload = new MultipartUpload(client, target, opts);
  try {
    for (let start = 0; start < bytes.byteLength; start += opts.partSize)
      await upload.send(bytes.subarray(start, start + opts.partSize));
    await upload.complete();
  } catch (err) {
    await upload.abort();
    throw err;
  }
}

/**
 * Writes the stream's bytes and returns their count. A failing part stops the stream at once (it is
 * destroyed with the failure); a failing stream aborts the upload. Either way nothing is left under the key.
 */
export async function putStream(
  client: S3Client,
  target: ObjectTarget,
  body: Readable,
  opts: PartOptions,
): Promise<number> {
  const free: Buffer[] = [];
  let part: Buffer | null = null;
  let filled = 0;
  let size = 0;
  /** Sends the full part buffer; it comes back to `free` once S3 has it. */
  const sendPart = async (bytes: Buffer, length: number) => {
    part = null;
    filled = 0;
    await upload.send(bytes.subarray(0, length), () => free.push(bytes));
  };
  const copyIn = async (chunk: Uint8Array) => {
    size += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      // A full part is sent once more bytes arrive: a body of exactly one part is a single PutObject.
      if (part && filled === opts.partSize) await sendPart(part, filled);
      part ??= free.pop() ?? Buffer.allocUnsafeSlow(opts.partSize);
      const take = Math.min(chunk.byteLength - offset, opts.partSize - filled);
      part.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
    }
  };
  // The chunks are taken one by one as the body emits them. (Not with for-await: a paused stream's
  // iterator reads all it has buffered at once, and `read()` concatenates it, a copy of every byte.)
  const sink = new Writable({
    write(chunk: Uint8Array, _encoding, done) {
      copyIn(chunk).then(() => done(), done);
    },
  });
  const upload = new MultipartUpload(client, target, opts, (error) => sink.destroy(error));
  try {
    await pipeline(body, sink);
    const last = part as Buffer | null;
    if (!upload.started) {
      await putObject(client, target, last ? last.subarray(0, filled) : Buffer.alloc(0), opts);
      return size;
    }
    if (last) await sendPart(last, filled);
    await upload.complete();
    return size;
  } catch (err) {
    await upload.abort();
    throw err;
  }
}
