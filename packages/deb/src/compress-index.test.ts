import { gunzipSync } from 'node:zlib';
import lzma from 'lzma-native';
import { describe, expect, it } from 'vitest';
import { compressIndex } from './compress-index';

function unxz(bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve) => lzma.decompress(Buffer.from(bytes), undefined, resolve));
}

describe('compressIndex', () => {
  const text = Buffer.from(
    Array.from({ length: 2000 }, (_, i) => `Package: pkg${i}\nVersion: 1.${i}-1\nArchitecture: amd64\n`).join(
      '\n',
    ),
  );

  it('produces gzip and xz that decompress to the input, and actually compress', async () => {
    const { gz, xz } = await compressIndex(text);
    expect(gunzipSync(gz).equals(text)).toBe(true);
    expect((await unxz(xz)).equals(text)).toBe(true);
    expect(gz.length).toBeLessThan(text.length / 4);
    expect(xz.length).toBeLessThan(text.length / 4);
    expect(Buffer.from(xz.subarray(0, 6)).toString('hex')).toBe('fd377a585a00');
  });

  it('is byte-for-byte deterministic', async () => {
    const first = await compressIndex(text);
    const second = await compressIndex(text);
    expect(Buffer.from(first.gz).equals(Buffer.from(second.gz))).toBe(true);
    expect(Buffer.from(first.xz).equals(Buffer.from(second.xz))).toBe(true);
  });

  it('handles an empty index', async () => {
    const { gz, xz } = await compressIndex(new Uint8Array(0));
    expect(gunzipSync(gz).length).toBe(0);
    expect((await unxz(xz)).length).toBe(0);
  });
});
