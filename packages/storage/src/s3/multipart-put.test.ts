import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { patternStream } from '../testing/byte-streams';
import { putBytes, putStream } from './multipart-put';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

interface Sent {
  command: string;
  partNumber?: number;
  /** a copy: the writer reuses a part's buffer once the part has settled */
  bytes?: Buffer;
  arrayBuffer?: ArrayBufferLike;
}

/** An S3Client stand-in that records commands; UploadPart answers after `partMs`, or fails for `failPart`. */
function fakeClient(opts: { partMs?: number; failPart?: number } = {}) {
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    config: { requestChecksumCalculation: async () => 'WHEN_SUPPORTED' },
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const body = command.input.Body as Buffer | undefined;
      sent.push({
        command: name,
        partNumber: command.input.PartNumber as number | undefined,
        bytes: body ? Buffer.from(body) : undefined,
        arrayBuffer: body?.buffer,
      });
      if (name === 'CreateMultipartUpload') return { UploadId: 'upload-1' };
      if (name !== 'UploadPart') return {};
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, opts.partMs ?? 1));
      inFlight--;
      if (command.input.PartNumber === opts.failPart)
        throw Object.assign(new Error('slow down'), { name: 'SlowDown' });
      return { ETag: `"etag-${command.input.PartNumber}"`, ChecksumCRC32: 'crc' };
    },
  };
  return { client: client as unknown as S3Client, sent, maxInFlight: () => maxInFlight };
}

const target = { Bucket: 'b', Key: 'k' };
const options = (queueSize = 2) => ({
  partSize: PART,
  queueSize,
  failure: (err: unknown) => new Error(`wrapped: ${(err as Error).message}`),
});

const sha256 = (chunks: Buffer[]) => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
};

describe('putStream', () => {
  it('sends a stream in full parts, at most queueSize at once, from queueSize + 1 reused buffers', async () => {
    const { client, sent, maxInFlight } = fakeClient({ partMs: 5 });
    const size = await putStream(client, target, patternStream(7 * PART + 123), options(2));
    expect(size).toBe(7 * PART + 123);
    const parts = sent.filter((s) => s.command === 'UploadPart');
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parts.slice(0, 7).every((p) => p.bytes!.length === PART)).toBe(true);
    expect(parts[7]!.bytes!.length).toBe(123);
    const expected: Buffer[] = [];
    for await (const chunk of patternStream(7 * PART + 123)) expected.push(chunk as Buffer);
    expect(sha256(parts.map((p) => p.bytes!))).toBe(sha256(expected));
    expect(maxInFlight()).toBe(2);
    expect(new Set(parts.map((p) => p.arrayBuffer)).size).toBeLessThanOrEqual(3);
    expect(sent.map((s) => s.command).filter((c) => c !== 'UploadPart')).toEqual([
      'CreateMultipartUpload',
      'CompleteMultipartUpload',
    ]);
  });

  it('sends a body of at most one part as a single PutObject, also an empty one', async () => {
    for (const length of [0, 1000, PART]) {
      const { client, sent } = fakeClient();
      expect(await putStream(client, target, patternStream(length), options())).toBe(length);
      expect(sent.map((s) => s.command)).toEqual(['PutObject']);
      expect(sent[0]!.bytes!.length).toBe(length);
    }
  });

  it('stops reading the body when a part fails, aborts the upload and reports the failure', async () => {
    const { client, sent } = fakeClient({ failPart: 2 });
    const body = patternStream(20 * PART);
    await expect(putStream(client, target, body, options(1))).rejects.toThrow('wrapped: slow down');
    expect(body.destroyed).toBe(true);
    expect(sent.filter((s) => s.command === 'UploadPart').length).toBe(2);
    expect(sent.at(-1)!.command).toBe('AbortMultipartUpload');
  });

  it("aborts the upload when the body fails and reports the body's error", async () => {
    const { client, sent } = fakeClient();
    const body = patternStream(20 * PART, { failAfter: { bytes: 3 * PART, error: new Error('cut off') } });
    await expect(putStream(client, target, body, options())).rejects.toThrow('cut off');
    expect(sent.at(-1)!.command).toBe('AbortMultipartUpload');
    expect(sent.some((s) => s.command === 'CompleteMultipartUpload')).toBe(false);
  });
});

describe('putBytes', () => {
  it('sends bytes over one part as views of them, and one part as a single PutObject', async () => {
    const bytes = Buffer.alloc(2 * PART + 1, 7);
    const { client, sent } = fakeClient();
    await putBytes(client, target, bytes, options());
    expect(sent.map((s) => s.command)).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    expect(sent.filter((s) => s.command === 'UploadPart').every((s) => s.arrayBuffer === bytes.buffer)).toBe(
      true,
    );
    const single = fakeClient();
    await putBytes(single.client, target, Buffer.alloc(PART), options());
    expect(single.sent.map((s) => s.command)).toEqual(['PutObject']);
  });
});
