// Picks the driver from the configured storage URL: an absolute path or file:// URL for the
// filesystem, s3://bucket/prefix for S3.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidStorageKeyError, InvalidStorageUrlError } from './errors';
import { FsStorage } from './fs/fs-storage';
import { type S3ConnectionOptions, S3Storage } from './s3/s3-storage';
import type { Storage } from './storage';
import { assertStorageKey } from './storage-key';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function createStorage(url: string, s3?: S3ConnectionOptions): Storage {
  if (url.startsWith('s3://')) return new S3Storage({ ...s3, ...parseS3Url(url) });
  if (url.startsWith('file:')) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      throw new InvalidStorageUrlError(`${url} is not a local absolute file:// URL`);
    }
    return new FsStorage(resolve(path));
  }
  if (isAbsolute(url)) return new FsStorage(resolve(url));
  throw new InvalidStorageUrlError(
    `${JSON.stringify(url)} is neither an absolute path, a file:// URL nor s3://bucket/prefix`,
  );
}

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (!BUCKET_NAME.test(bucket)) throw new InvalidStorageUrlError(`${url} does not name a valid S3 bucket`);
  if (prefix !== '') {
    try {
      assertStorageKey(prefix);
    } catch (err) {
      if (err instanceof InvalidStorageKeyError) {
        throw new InvalidStorageUrlError(`${url} has an invalid key prefix (${err.message})`);
      }
      throw err;
    }
  }
  return { bucket, prefix };
}
