import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../errors';
import { patternStream } from '../testing/byte-streams';
import { S3RVER_CREDENTIALS, type S3TestServer, startS3TestServer } from '../testing/s3-test-server';
import { describeStorageContract } from '../testing/storage-contract';
import { S3Storage, type S3StorageOptions } from './s3-storage';

const MiB = 1024 * 1024;
let server: S3TestServer;
const storages: S3Storage[] = [];

function makeS3Storage(overrides: Partial<S3StorageOptions> = {}): S3Storage {
  const storage = new S3Storage({
    endpoint: server.endpoint,
    bucket: server.bucket,
    prefix: 'pallet',
    ...S3RVER_CREDENTIALS,
    ...overrides,
  });
  storages.push(storage);
  return storage;
}

beforeAll(async () => {
  server = await startS3TestServer();
});

afterAll(async () => {
  for (const storage of storages) storage.destroy();
  await server?.stop();
});

// A put holds up to queueSize parts in flight plus the one being filled (3 × 8 MiB by default), and s3rver
// runs in this same process: 20 MiB could not tell streaming from buffering, 64 MiB can.
describeStorageContract('s3', () => makeS3Storage(), {
  largeObjectSize: 64 * MiB,
  streamingMemoryBudget: 56 * MiB,
});

describe('S3Storage against s3rver', () => {
  it("refuses a part size under S3's 5 MiB minimum and an upload queue under 1", () => {
    expect(() => new S3Storage({ bucket: 'b', partSize: 5 * MiB - 1 })).toThrow(RangeError);
    expect(() => new S3Storage({ bucket: 'b', uploadQueueSize: 0 })).toThrow(RangeError);
    new S3Storage({ bucket: 'b', partSize: 5 * MiB, uploadQueueSize: 1 }).destroy();
  });

  it('uploads with 5 MiB parts, one at a time', async () => {
    const storage = makeS3Storage({ partSize: 5 * MiB, uploadQueueSize: 1 });
    expect(await storage.put('pool/parts.bin', patternStream(11 * MiB))).toEqual({ size: 11 * MiB });
    const head = await server.client.send(
      new HeadObjectCommand({ Bucket: server.bucket, Key: 'pallet/pool/parts.bin' }),
    );
    expect(head.ContentLength).toBe(11 * MiB);
  });

  it('stores objects under the prefix with their content type', async () => {
    await makeS3Storage().put('dists/bookworm/Release', 'Origin: Pallet\n', { contentType: 'text/plain' });
    const head = await server.client.send(
      new HeadObjectCommand({ Bucket: server.bucket, Key: 'pallet/dists/bookworm/Release' }),
    );
    expect(head.ContentType).toBe('text/plain');
    expect(head.ContentLength).toBe(15);
  });

  it('works without a prefix', async () => {
    await makeS3Storage({ prefix: '' }).put('top-level', 'x');
    const got = await server.client.send(new GetObjectCommand({ Bucket: server.bucket, Key: 'top-level' }));
    expect(await got.Body!.transformToString()).toBe('x');
  });

  it('fails check with a clear message for a missing bucket', async () => {
    const error = await makeS3Storage({ bucket: 'no-such-bucket' })
      .check()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/no-such-bucket.*the bucket does not exist/);
  });

  it('fails reads and writes in a missing bucket rather than reporting a missing object', async () => {
    const storage = makeS3Storage({ bucket: 'no-such-bucket' });
    await expect(storage.get('k')).rejects.toThrow(/NoSuchBucket/);
    await expect(storage.put('k', 'x')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(storage.delete('k')).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('fails check for bad credentials without revealing them', async () => {
    const credentials = { accessKeyId: 'AKIAWRONGKEY0001', secretAccessKey: 'wrong/Secret+Value0123456789' };
    const storage = makeS3Storage(credentials);
    const error = await storage.check().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const shown = `${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(error)}`;
    expect(shown).toMatch(/access denied|refused/);
    expect(shown).not.toContain(credentials.accessKeyId);
    expect(shown).not.toContain(credentials.secretAccessKey);

    const putError = await storage.put('denied', 'x').catch((err: unknown) => err);
    expect(putError).toBeInstanceOf(StorageUnavailableError);
    expect(String((putError as Error).message)).not.toContain(credentials.accessKeyId);

    // A refused multipart upload must stop reading the body instead of hanging on it.
    const body = patternStream(40 * MiB);
    await expect(storage.put('denied-stream', body)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(body.destroyed).toBe(true);
  });

  it('fails check with a clear message when the endpoint is down', async () => {
    const error = await makeS3Storage({ endpoint: 'http://127.0.0.1:1' })
      .check()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain('cannot be reached');
  });
});
