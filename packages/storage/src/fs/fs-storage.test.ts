import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from '../errors';
import { patternStream, sha256Of, sha256OfPattern } from '../testing/byte-streams';
import { describeStorageContract } from '../testing/storage-contract';
import { FsStorage } from './fs-storage';

const MiB = 1024 * 1024;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'pallet-fs-storage-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describeStorageContract('fs', () => new FsStorage(join(workDir, 'root')), {
  streamingMemoryBudget: 16 * MiB,
});

describe('FsStorage on disk', () => {
  it('lays keys out as nested files under the root', async () => {
    const root = join(workDir, 'layout');
    const storage = new FsStorage(root);
    await storage.put('blobs/sha256/ab/abcdef', 'blob');
    expect(await readdir(join(root, 'blobs/sha256/ab'))).toEqual(['abcdef']);
  });

  it('stores every one of concurrent writes into one directory that share its syncs, in fewer syncs', async () => {
    const root = join(workDir, 'shared-sync');
    const storage = new FsStorage(root);
    await storage.put('uploads/2026/12/first', 'first');
    // Directory syncs are FileHandle.sync calls (a file's own data is flushed by its write stream).
    const probe = await open(join(root, 'uploads/2026/12/first'), 'r');
    const sync = vi.spyOn(Object.getPrototypeOf(probe), 'sync');
    await probe.close();
    try {
      const keys = Array.from({ length: 20 }, (_, i) => `uploads/2026/12/k${i}`);
      await Promise.all(keys.map((key) => storage.put(key, `bytes of ${key}`, { shareDirectorySync: true })));
      expect(sync.mock.calls.length).toBeGreaterThan(0);
      expect(sync.mock.calls.length).toBeLessThan(keys.length);
      for (const key of keys) {
        const stored = await storage.get(key);
        expect(Buffer.concat(await stored!.body.toArray()).toString()).toBe(`bytes of ${key}`);
      }
      expect((await readdir(join(root, 'uploads/2026/12'))).sort()).toEqual(
        ['first', ...keys.map((k) => k.split('/').pop())].sort(),
      );
    } finally {
      sync.mockRestore();
    }
  });

  it('leaves no temporary file behind after a failed write', async () => {
    const root = join(workDir, 'failed');
    const storage = new FsStorage(root);
    await storage.put('dir/kept', 'kept');
    const error = new Error('broken body');
    await expect(
      storage.put('dir/broken', patternStream(MiB, { failAfter: { bytes: MiB / 2, error } })),
    ).rejects.toBe(error);
    expect(await readdir(join(root, 'dir'))).toEqual(['kept']);
  });

  it('flushes a large file early on the side and still stores it whole, leaving no temporary file', async () => {
    const root = join(workDir, 'early-writeback');
    const storage = new FsStorage(root);
    const size = 70 * MiB + 3;
    expect(await storage.put('big/file', patternStream(size))).toEqual({ size });
    const got = await storage.get('big/file');
    expect(got?.size).toBe(size);
    expect(await sha256Of(got!.body as import('node:stream').Readable)).toBe(await sha256OfPattern(size));
    expect(await readdir(join(root, 'big'))).toEqual(['file']);
    const error = new Error('broken late');
    await expect(
      storage.put('big/broken', patternStream(40 * MiB, { failAfter: { bytes: 36 * MiB, error } })),
    ).rejects.toBe(error);
    expect(await readdir(join(root, 'big'))).toEqual(['file']);
  });

  it('never writes outside its root for a path trick', async () => {
    const root = join(workDir, 'jail', 'root');
    const storage = new FsStorage(root);
    await expect(storage.put('../escaped', 'x')).rejects.toThrow();
    await expect(storage.put('a/../../escaped', 'x')).rejects.toThrow();
    expect(await readdir(join(workDir, 'jail')).catch(() => [])).not.toContain('escaped');
  });

  it('creates a missing root on check', async () => {
    const storage = new FsStorage(join(workDir, 'fresh', 'root'));
    await storage.check();
    expect(await readdir(join(workDir, 'fresh'))).toEqual(['root']);
  });

  it('fails check with a clear message when the root is a file', async () => {
    const file = join(workDir, 'not-a-dir');
    await writeFile(file, 'x');
    const error = await new FsStorage(file).check().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain(
      `filesystem storage at ${file} is not a readable and writable`,
    );
  });
});
