// Test-only: the keys under a prefix, whatever the driver, for assertions such as "a refused upload
// leaves nothing behind". The Storage contract itself has no listing: Pallet never needs one.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FsStorage } from '../fs/fs-storage';
import { S3Storage } from '../s3/s3-storage';
import type { Storage } from '../storage';

export async function listStorageKeys(
  storage: Storage,
  prefix: string,
  s3?: { endpoint?: string; accessKeyId: string; secretAccessKey: string; region?: string },
): Promise<string[]> {
  if (storage instanceof FsStorage) {
    const base = join(storage.root, prefix);
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(storage.root, join(e.parentPath, e.name)))
      .sort();
  }
  if (!(storage instanceof S3Storage) || !s3) throw new Error('listStorageKeys: unsupported storage');
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region ?? 'us-east-1',
    forcePathStyle: Boolean(s3.endpoint),
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: storage.bucket,
          Prefix: storage.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(storage.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  } finally {
    client.destroy();
  }
}
