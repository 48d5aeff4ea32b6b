import { beforeAll, describe, expect, it } from 'vitest';
import { decompressStream } from './decompress-stream';
import { shellBytes } from './testing/deb-builders';

const MiB = 1024 * 1024;

async function* oneChunk(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(bytes);
}

/** Decompresses `bytes` handed over as one chunk: how much came out, and how much memory the
 * decoder held when the first part came out. */
async function inflateAsOneChunk(bytes: Buffer, compression: 'zstd' | 'xz', label: string) {
  const before = process.memoryUsage().arrayBuffers;
  let received = 0;
  let heldAtFirstPart = 0;
  for await (const part of decompressStream(oneChunk(bytes), compression, 512 * MiB, label)) {
    if (received === 0) heldAtFirstPart = process.memoryUsage().arrayBuffers - before;
    received += part.length;
  }
  return { received, heldAtFirstPart };
}

describe('decompressStream bounds what one chunk may inflate to', () => {
  // 256 MiB of zeros in ~8 KiB: a single network chunk of it used to be decoded whole before the
  // output bound saw any of it.
  let bomb: Buffer;
  beforeAll(() => {
    bomb = shellBytes('head -c 268435456 /dev/zero | zstd -q -c');
  });

  it('hands on a zstd bomb arriving in one chunk in steps of a few MiB, not all at once', async () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    const { received, heldAtFirstPart } = await inflateAsOneChunk(bomb, 'zstd', 'data.tar.zst');
    expect(received).toBe(256 * MiB);
    expect(heldAtFirstPart).toBeLessThan(32 * MiB);
  });

  it('refuses a zstd bomb in one chunk at the output bound', async () => {
    const parts = decompressStream(oneChunk(bomb), 'zstd', 8 * MiB, 'data.tar.zst');
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
    const { received, heldAtFirstPart } = await inflateAsOneChunk(xzBomb, 'xz', 'data.tar.xz');
    expect(received).toBe(256 * MiB);
    expect(heldAtFirstPart).toBeLessThan(64 * MiB);
  });
});
