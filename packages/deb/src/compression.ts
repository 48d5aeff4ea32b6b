// The compressions a .deb member may use: names from the member suffix, and recognition of each
// format by its first bytes (the "magic"), used to check that data.tar is what its name claims.

export type DebCompression = 'none' | 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'lzma';

const SUFFIXES: Record<string, DebCompression> = {
  '': 'none',
  '.gz': 'gzip',
  '.xz': 'xz',
  '.zst': 'zstd',
  '.bz2': 'bzip2',
  '.lzma': 'lzma',
};

/** Compression named by a member's suffix after `prefix` (e.g. "data.tar"), among `allowed`. */
export function compressionFromMemberName(
  name: string,
  prefix: string,
  allowed: readonly DebCompression[],
): DebCompression | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const compression = SUFFIXES[name.slice(prefix.length)];
  return compression && allowed.includes(compression) ? compression : undefined;
}

/** How many leading bytes `hasCompressionMagic` needs at most (a whole tar header). */
export const MAGIC_PROBE_LENGTH = 512;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16)) +
    (bytes[offset + 3] ?? 0) * 0x1000000
  );
}

// .lzma (lzma_alone) has no magic; liblzma accepts props < 225 and a dictionary size of 2^n or
// 2^n + 2^(n-1), which excludes the other formats' headers.
function looksLikeLzmaAlone(bytes: Uint8Array): boolean {
  if (bytes.length < 13 || (bytes[0] ?? 255) >= 225) return false;
  const dict = readUint32LE(bytes, 1);
  if (dict === 0xffffffff) return true;
  for (let n = 12; n <= 31; n++) {
    const power = 2 ** n;
    if (dict === power || dict === power + power / 2) return true;
  }
  return false;
}

// An uncompressed tar starts with a header block whose checksum (field at 148, octal) equals the
// sum of its bytes with that field counted as spaces, or with an all-zero end-of-archive block.
function looksLikeTar(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  const block = bytes.subarray(0, 512);
  if (block.every((byte) => byte === 0)) return true;
  const field = new TextDecoder('latin1')
    .decode(block.subarray(148, 156))
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  block.forEach((byte, index) => {
    sum += index >= 148 && index < 156 ? 32 : byte;
  });
  return sum === Number.parseInt(field, 8);
}

/** True when `head` (the first bytes of a member) starts like `compression` says it should. */
export function hasCompressionMagic(head: Uint8Array, compression: DebCompression): boolean {
  switch (compression) {
    case 'gzip':
      return startsWith(head, [0x1f, 0x8b]);
    case 'xz':
      return startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
    case 'zstd':
      return startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]);
    case 'bzip2':
      return startsWith(head, [0x42, 0x5a, 0x68]) && (head[3] ?? 0) >= 0x31 && (head[3] ?? 0) <= 0x39;
    case 'lzma':
      return looksLikeLzmaAlone(head);
    case 'none':
      return looksLikeTar(head);
  }
}
