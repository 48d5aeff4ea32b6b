// Walks the frame and block headers of a zstd buffer without decoding it, so a hostile header
// (huge window or content size, which fzstd would allocate up front) is refused beforehand.

export type ZstdFrameProblem = 'invalid' | 'truncated' | 'too_large';

const ZSTD_MAGIC = 0xfd2fb528;

function readLE(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let index = length - 1; index >= 0; index--) value = value * 256 + (bytes[offset + index] ?? 0);
  return value;
}

/** Checks every frame of `bytes`; returns what is wrong, or undefined when all frames fit `limit`. */
export function checkZstdFrames(
  bytes: Uint8Array,
  limit: number,
  windowLimit: number,
): ZstdFrameProblem | undefined {
  let pos = 0;
  if (bytes.length === 0) return 'truncated';
  while (pos < bytes.length) {
    if (bytes.length - pos < 8) return 'truncated';
    const magic = readLE(bytes, pos, 4);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) {
      pos += 8 + readLE(bytes, pos + 4, 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return 'invalid';
    const descriptor = bytes[pos + 4] ?? 0;
    const singleSegment = (descriptor >> 5) & 1;
    let p = pos + 5;
    let windowSize = 0;
    if (!singleSegment) {
      const windowByte = bytes[p++] ?? 0;
      const base = 2 ** (10 + (windowByte >> 3));
      windowSize = base + (base / 8) * (windowByte & 7);
    }
    p += [0, 1, 2, 4][descriptor & 3] ?? 0;
    const contentSizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6] ?? 0;
    const contentSize = readLE(bytes, p, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
    p += contentSizeBytes;
    if (singleSegment) windowSize = contentSize;
    if (windowSize > windowLimit || (contentSizeBytes > 0 && contentSize > limit)) return 'too_large';
    for (;;) {
      if (p + 3 > bytes.length) return 'truncated';
      const header = readLE(bytes, p, 3);
      const type = (header >> 1) & 3;
      if (type === 3) return 'invalid';
      p += 3 + (type === 1 ? 1 : header >>> 3);
      if (header & 1) break;
    }
    if ((descriptor >> 2) & 1) p += 4;
    if (p > bytes.length) return 'truncated';
    pos = p;
  }
  return pos > bytes.length ? 'truncated' : undefined;
}
