import { describe, expect, it } from 'vitest';
import { createStorage } from './create-storage';
import { InvalidStorageUrlError } from './errors';
import { FsStorage } from './fs/fs-storage';
import { S3Storage } from './s3/s3-storage';

describe('createStorage', () => {
  it('makes a filesystem storage from an absolute path', () => {
    const storage = createStorage('/var/lib/pallet/storage/');
    expect(storage).toBeInstanceOf(FsStorage);
    expect(storage.kind).toBe('fs');
    expect((storage as FsStorage).root).toBe('/var/lib/pallet/storage');
  });

  it('makes a filesystem storage from a file:// URL', () => {
    const storage = createStorage('file:///srv/pallet%20data');
    expect((storage as FsStorage).root).toBe('/srv/pallet data');
  });

  it('makes an S3 storage with the prefix from the URL', () => {
    const storage = createStorage('s3://pallet-repos/prod/', { region: 'eu-west-1' });
    expect(storage).toBeInstanceOf(S3Storage);
    expect(storage.kind).toBe('s3');
    expect(storage).toMatchObject({ bucket: 'pallet-repos', prefix: 'prod/' });
    (storage as S3Storage).destroy();
  });

  it('makes an S3 storage without a prefix', () => {
    const storage = createStorage('s3://pallet-repos');
    expect(storage).toMatchObject({ bucket: 'pallet-repos', prefix: '' });
    (storage as S3Storage).destroy();
  });

  it.each([
    ['a relative path', 'var/storage'],
    ['an empty string', ''],
    ['a remote file URL', 'file://server/share'],
    ['an S3 URL without bucket', 's3://'],
    ['an S3 URL with a bad bucket', 's3://Bad_Bucket/x'],
    ['an S3 prefix with a path trick', 's3://bucket/a/../b'],
    ['an S3 URL with a query', 's3://bucket/prefix?x=1'],
    ['another scheme', 'https://example.com/x'],
  ])('rejects %s', (_label, url) => {
    expect(() => createStorage(url)).toThrow(InvalidStorageUrlError);
  });
});
