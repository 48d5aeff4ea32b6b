import { beforeAll, describe, expect, it } from 'vitest';
import { decompressStream } from './decompress-stream';
import { shellBytes } from './testing/deb-builders';

const MiB = 1024 * 1024;

describe('decompressStream bounds what one chunk may inflate to', () => {
  // 256 MiB of zeros in ~8 KiB: a single network chunk of it used to be decoded whole before the
  // output bound saw any of it.
  let bomb: Buffer;
  beforeAll(() => {
    bomb = shellBytes('head -c 268435456 /dev/zero | zstd -q -c');
  });

  it('hands on a zstd bomb arriving in one chunk in steps of a few MiB, not all at once', async () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    async function* oneChunk() {
      yield new Uint8Array(bomb);
    }
    const before = process.memoryUsage().arrayBuffers;
    let received = 0;
    let heldAtFirstPart = 0;
    for await (const part of decompressStream(oneChunk(), 'zstd', 512 * MiB, 'data.tar.zst')) {
      if (received === 0) heldAtFirstPart = process.memoryUsage().arrayBuffers - before;
      received += part.length;
    }
    expect(received).toBe(256 * MiB);
    expect(heldAtFirstPart).toBeLessThan(32 * MiB);
  });

  it('refuses a zstd bomb in one chunk at the output bound', async () => {
    async function* oneChunk() {
      yield new Uint8Array(bomb);
    }
    const parts = decompressStream(oneChunk(), 'zstd', 8 * MiB, 'data.tar.zst');
    await expect(async () => {
      for await (const _ of parts);
    }).rejects.toThrow(
      /data.tar.zst decompresses to more than 8388608 bytes, which is refused as a decompression bomb/,
    );
  });

  it('hands on an xz bomb arriving in one chunk piece by piece, not all at once', async () => {
    // 256 MiB of zeros in ~39 KiB of xz: liblzma decodes a whole written chunk before it is read.
    const xzBomb = shellBytes('head -c 268435456 /dev/zero | xz -1 -T1 -c');
    expect(xzBomb.length).toBeLessThan(64 * 1024);
    async function* oneChunk() {
      yield new Uint8Array(xzBomb);
    }
    const before = process.memoryUsage().arrayBuffers;
    let received = 0;
    let heldAtFirstPart = 0;
    for await (const part of decompressStream(oneChunk(), 'xz', 512 * MiB, 'data.tar.xz')) {
      if (received === 0) heldAtFirstPart = process.memoryUsage().arrayBuffers - before;
      received += part.length;
    }
    expect(received).toBe(256 * MiB);
    expect(heldAtFirstPart).toBeLessThan(64 * MiB);
  });
});
