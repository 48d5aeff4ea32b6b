// The behaviour every Storage driver must show, written once and run against each driver
// (fs-storage.test.ts, s3-storage.test.ts) so callers can swap backends without noticing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidStorageKeyError, RangeNotSatisfiableError } from '../errors';
import type { Storage } from '../storage';
import { patternBuffer, patternStream, readAll, sha256Of, sha256OfPattern } from './byte-streams';
import { measurePeakMemoryGrowth } from './memory-probe';

const MiB = 1024 * 1024;

export interface StorageContractOptions {
  /** Size of the lazily generated stream that must go through without being held whole (20 MiB). */
  largeObjectSize?: number;
  /** Live-memory growth allowed while that stream is written, then read; below its size. */
  streamingMemoryBudget: number;
}

export function describeStorageContract(
  name: string,
  makeStorage: () => Promise<Storage> | Storage,
  options: StorageContractOptions,
): void {
  describe(`${name} storage contract`, () => {
    let storage: Storage;
    const run = randomUUID();
    const keyFor = (label: string) => `contract/${run}/${label}`;

    beforeAll(async () => {
      storage = await makeStorage();
      await storage.check();
    });

    it('round-trips a Uint8Array byte for byte', async () => {
      const bytes = new Uint8Array([0, 1, 2, 255, 0, 10, 13, 128]);
      const key = keyFor('bytes.bin');
      await expect(storage.put(key, bytes)).resolves.toEqual({ size: 8 });
      const got = await storage.get(key);
      expect(got).not.toBeNull();
      expect(got!.size).toBe(8);
      expect(got!.contentLength).toBe(8);
      expect(got!.range).toBeUndefined();
      expect(new Uint8Array(await readAll(got!.body))).toEqual(bytes);
    });

    it('stores a string as UTF-8 and reports its byte size', async () => {
      const text = 'Package: hello\nDescription: héllo ✓\n';
      const key = keyFor('Release');
      const { size } = await storage.put(key, text, { contentType: 'text/plain; charset=utf-8' });
      expect(size).toBe(Buffer.byteLength(text));
      const got = await storage.get(key);
      expect((await readAll(got!.body)).toString('utf8')).toBe(text);
    });

    it('round-trips an empty object', async () => {
      const key = keyFor('empty');
      await expect(storage.put(key, '')).resolves.toEqual({ size: 0 });
      const got = await storage.get(key);
      expect(got!.size).toBe(0);
      expect((await readAll(got!.body)).length).toBe(0);
      expect(await storage.head(key)).toMatchObject({ size: 0 });
    });

    const largeObjectSize = options.largeObjectSize ?? 20 * MiB;
    it(`streams a ${largeObjectSize / MiB} MiB body in and out without holding it in memory`, async () => {
      const size = largeObjectSize;
      expect(options.streamingMemoryBudget).toBeLessThan(size);
      const key = keyFor('large/blob');
      const expected = await sha256OfPattern(size);

      const probe = { collectAbove: options.streamingMemoryBudget };
      const written = await measurePeakMemoryGrowth(() => storage.put(key, patternStream(size)), probe);
      expect(written.result).toEqual({ size });
      expect(written.peakGrowth).toBeLessThan(options.streamingMemoryBudget);

      const read = await measurePeakMemoryGrowth(async () => {
        const got = await storage.get(key);
        return { size: got!.size, digest: await sha256Of(got!.body) };
      }, probe);
      expect(read.result).toEqual({ size, digest: expected });
      expect(read.peakGrowth).toBeLessThan(options.streamingMemoryBudget);
    }, 240_000); // generous: the machine may be busy, and the outcome measured is memory, not time

    describe('range reads', () => {
      const size = 1000;
      const content = patternBuffer(size);
      const key = keyFor('ranged');
      beforeAll(async () => {
        await storage.put(key, content);
      });

      it.each([
        ['the first byte', 0, 0],
        ['a middle slice', 100, 599],
        ['the last byte', 999, 999],
        ['the whole object', 0, 999],
      ])('reads %s', async (_label, start, end) => {
        const got = await storage.get(key, { range: { start, end } });
        expect(got).toMatchObject({ size, contentLength: end - start + 1, range: { start, end } });
        expect(await readAll(got!.body)).toEqual(content.subarray(start, end + 1));
      });

      it('clamps an end past the last byte, like HTTP', async () => {
        const got = await storage.get(key, { range: { start: 990, end: 5000 } });
        expect(got).toMatchObject({ size, contentLength: 10, range: { start: 990, end: 999 } });
        expect(await readAll(got!.body)).toEqual(content.subarray(990));
      });

      it.each([
        ['starts at the size', { start: 1000, end: 1000 }],
        ['starts past the end', { start: 5000, end: 6000 }],
        ['is inverted', { start: 10, end: 5 }],
        ['is negative', { start: -1, end: 5 }],
      ])('rejects with 416 a range that %s', async (_label, range) => {
        const error = await storage.get(key, { range }).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(RangeNotSatisfiableError);
        expect((error as RangeNotSatisfiableError).code).toBe('RANGE_NOT_SATISFIABLE');
      });

      it('reports the object size in the 416 error', async () => {
        const error = await storage
          .get(key, { range: { start: 1000, end: 1001 } })
          .catch((err: unknown) => err);
        expect(error).toMatchObject({ size });
      });

      it('rejects any range of an empty object', async () => {
        const emptyKey = keyFor('ranged-empty');
        await storage.put(emptyKey, new Uint8Array(0));
        await expect(storage.get(emptyKey, { range: { start: 0, end: 0 } })).rejects.toBeInstanceOf(
          RangeNotSatisfiableError,
        );
      });
    });

    it('heads an object with its size and modification time', async () => {
      const key = keyFor('headed');
      const before = Date.now();
      await storage.put(key, 'twelve bytes');
      const head = await storage.head(key);
      expect(head!.size).toBe(12);
      // S3's Last-Modified has second precision.
      expect(head!.lastModified.getTime()).toBeGreaterThan(before - 2000);
      expect(head!.lastModified.getTime()).toBeLessThan(Date.now() + 2000);
      const got = await storage.get(key);
      expect(got!.lastModified.getTime()).toBe(head!.lastModified.getTime());
      got!.body.destroy();
    });

    it('returns null for a missing key, also under a missing prefix', async () => {
      expect(await storage.get(keyFor('missing'))).toBeNull();
      expect(await storage.head(keyFor('missing'))).toBeNull();
      expect(await storage.get(keyFor('no/such/dir/file'), { range: { start: 0, end: 1 } })).toBeNull();
      expect(await storage.head(keyFor('no/such/dir/file'))).toBeNull();
    });

    it('returns null for a key that is only a prefix of other keys', async () => {
      await storage.put(keyFor('prefix-only/child'), 'x');
      expect(await storage.get(keyFor('prefix-only'))).toBeNull();
      expect(await storage.head(keyFor('prefix-only'))).toBeNull();
    });

    it('deletes idempotently', async () => {
      const key = keyFor('deleted');
      await storage.put(key, 'bye');
      await storage.delete(key);
      expect(await storage.head(key)).toBeNull();
      expect(await storage.get(key)).toBeNull();
      await expect(storage.delete(key)).resolves.toBeUndefined();
      await expect(storage.delete(keyFor('never/existed'))).resolves.toBeUndefined();
    });

    it('overwrites an object with the new content and size', async () => {
      const key = keyFor('overwritten');
      await storage.put(key, 'first version, longer');
      await storage.put(key, patternStream(3000));
      const got = await storage.get(key);
      expect(got!.size).toBe(3000);
      expect(await readAll(got!.body)).toEqual(patternBuffer(3000));
    });

    describe('key validation', () => {
      const badKeys = [
        '',
        '../x',
        'a/../../b',
        '/etc/passwd',
        'a//b',
        'a/',
        './a',
        'a/./b',
        '..',
        '%2e%2e/x',
        'a\\b',
        '..\\..\\x',
        'a\0b',
        'pool/ünïcode.deb',
        'a b',
        'x'.repeat(1025),
      ];

      it.each(badKeys.map((key) => [JSON.stringify(key).slice(0, 40), key]))(
        'rejects %s in every operation',
        async (_label, key) => {
          await expect(storage.put(key, 'x')).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage.head(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
          await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
        },
      );

      it('accepts the full allowed alphabet', async () => {
        const key = keyFor('pool/main/h/hello/hello_2.10-3+deb12u1~bpo_amd64.deb');
        await storage.put(key, 'ok');
        expect(await storage.head(key)).toMatchObject({ size: 2 });
      });
    });

    it('writes different keys concurrently', async () => {
      const sizes = [0, 1, 1000, 65_536, 200_000, 1 * MiB, 3 * MiB + 7, 123];
      const keys = sizes.map((_, i) => keyFor(`concurrent/${i}`));
      const results = await Promise.all(keys.map((key, i) => storage.put(key, patternStream(sizes[i]!))));
      expect(results).toEqual(sizes.map((size) => ({ size })));
      for (const [i, key] of keys.entries()) {
        const got = await storage.get(key);
        expect(await sha256Of(got!.body)).toBe(await sha256OfPattern(sizes[i]!));
      }
    });

    it('leaves no object when the body stream fails midway', async () => {
      const key = keyFor('broken');
      const error = new Error('upload connection reset');
      // Past one 8 MiB part, so an S3 multipart upload has started before the failure.
      await expect(
        storage.put(key, patternStream(12 * MiB, { failAfter: { bytes: 9 * MiB, error } })),
      ).rejects.toBe(error);
      expect(await storage.head(key)).toBeNull();
      expect(await storage.get(key)).toBeNull();
    });

    it('keeps the previous object when an overwrite fails midway', async () => {
      const key = keyFor('broken-overwrite');
      await storage.put(key, 'the good version');
      const error = new Error('client went away');
      await expect(
        storage.put(key, patternStream(2 * MiB, { failAfter: { bytes: 1 * MiB, error } })),
      ).rejects.toBe(error);
      const got = await storage.get(key);
      expect((await readAll(got!.body)).toString()).toBe('the good version');
    });

    it('shows nothing under the key while a write is in flight', async () => {
      const key = keyFor('in-flight');
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => {
        resume = resolve;
      });
      const putting = storage.put(
        key,
        patternStream(2 * MiB, { pauseAfter: { bytes: 1 * MiB, resume: paused } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await storage.head(key)).toBeNull();
      expect(await storage.get(key)).toBeNull();
      resume();
      await expect(putting).resolves.toEqual({ size: 2 * MiB });
      expect(await storage.head(key)).toMatchObject({ size: 2 * MiB });
    });
  });
}
