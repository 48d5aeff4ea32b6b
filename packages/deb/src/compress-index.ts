// Compresses an index (Packages, Translation…) to .gz and .xz, deterministically (no names or
// timestamps in the headers) so the same input always gives the same published bytes.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import lzma from 'lzma-native';

const gzipAsync = promisify(gzip);

// Measured on a 10 MB slice of bookworm's main/binary-amd64/Packages, on this project's 2-core
// machine (Node 20, zlib 1.3, lzma-native 8.0.6 = liblzma 5.2.3, single-threaded):
//   gzip -6   ~200 ms  2.31 MB      gzip -9   ~280 ms  2.29 MB (+40% time for <1%)
//   xz -1    ~2.4 s    2.22 MB      xz -6    ~9.8 s   1.79 MB (default preset)
//   xz -3    ~4.9 s    2.11 MB      xz -4    ~7.1 s   1.93 MB
// xz -6 is ~50x slower than gzip: a publication regenerates every Packages of every
// architecture, and a 2-core worker would spend tens of seconds per publish on it. xz -1 keeps
// xz at ~12x gzip while still beating gzip's size, so it is the default; a caller that
// publishes rarely can ask for a higher preset.
export const DEFAULT_GZIP_LEVEL = 6;
export const DEFAULT_XZ_PRESET = 1;

// lzma-native reads preset 0 as "unset" (and uses 6), so 0 is not offered.
export type XzPreset = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

function xzCompress(bytes: Uint8Array, preset: XzPreset): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // No `threads` option: any value selects liblzma's multi-threaded encoder, whose block
    // layout differs from the plain single-stream output of `xz -<preset>`.
    const stream = lzma.createCompressor({ preset });
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

/** gzip version of an index file, off the main thread (for publications without .xz). */
export async function gzipIndex(bytes: Uint8Array, level = DEFAULT_GZIP_LEVEL): Promise<Uint8Array> {
  const gz = await gzipAsync(bytes, { level });
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

/** gzip and xz versions of an index file. Both run off the main thread. */
export async function compressIndex(
  bytes: Uint8Array,
  options: { gzipLevel?: number; xzPreset?: XzPreset } = {},
): Promise<{ gz: Uint8Array; xz: Uint8Array }> {
  const [gz, xz] = await Promise.all([
    gzipAsync(bytes, { level: options.gzipLevel ?? DEFAULT_GZIP_LEVEL }),
    xzCompress(bytes, options.xzPreset ?? DEFAULT_XZ_PRESET),
  ]);
  return { gz: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength), xz };
}
