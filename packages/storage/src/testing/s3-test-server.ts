// Starts a real S3-protocol server (s3rver, in this process) on 127.0.0.1 with a fresh temporary
// directory and an empty bucket created through the SDK, for tests of the S3 driver.

/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** A client on the server with the valid credentials, for assertions behind the driver's back. */
  client: S3Client;
  stop(): Promise<void>;
}

export async function startS3TestServer(bucket = 'pallet-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'pallet-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  let client: S3Client | undefined;
  try {
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const created = client;
    return {
      endpoint,
      bucket,
      client: created,
      async stop() {
        created.destroy();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (err) {
    client?.destroy();
    await server.close().catch(() => {});
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
}
