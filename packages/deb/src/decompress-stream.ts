// Decompresses a streamed .deb member (data.tar) chunk by chunk, pulling compressed input only as
// fast as the output is consumed, and stops at a bound on the output so a decompression bomb costs
// neither memory nor unbounded CPU. Every problem becomes a DebFormatError naming the member.
import { Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import lzma from 'lzma-native';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import type { DebCompression } from './compression';
import { corrupt, DebFormatError } from './errors';
import { ZstdFrameGuard } from './zstd-frames';

/** liblzma's memory limit: xz -9 (64 MiB dictionary) needs about 65 MiB to decode. */
const XZ_MEMLIMIT = 128 * 1024 * 1024;
/** Largest zstd window accepted (zstd --long=27); fzstd allocates the window up front. */
const ZSTD_WINDOW_LIMIT = 128 * 1024 * 1024;
/**
 * liblzma (through lzma-native) decodes a whole written chunk before anything is read: 39 KiB of xz
 * make 256 MiB of zeros. Written in pieces this small, one piece inflates to at most ~30 MiB, and the
 * stream's backpressure holds the next piece until the output is taken (no slower: measured).
 */
const LZMA_PIECE_BYTES = 4096;
/** At most this much (plus one block) is decoded from a chunk before it is handed on. */
const ZSTD_OUTPUT_STEP = 4 * 1024 * 1024;

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { code, name } = error as { code?: unknown; name?: unknown };
  return `${typeof code === 'string' || typeof code === 'number' ? code : ''} ${typeof name === 'string' ? name : ''}`;
}

async function* throughTransform(
  input: AsyncIterable<Uint8Array>,
  transform: Transform,
  describe: (error: unknown) => DebFormatError,
): AsyncGenerator<Uint8Array> {
  const source = Readable.from(input, { objectMode: false });
  // A failing input (a dropped upload) is reported as itself, not as bad compressed data.
  let sourceError: unknown;
  source.on('error', (error) => {
    sourceError = error;
    transform.destroy(error);
  });
  transform.on('error', () => source.destroy());
  source.pipe(transform);
  try {
    for await (const part of transform) yield part as Uint8Array;
  } catch (error) {
    if (error instanceof DebFormatError || (sourceError !== undefined && error === sourceError)) throw error;
    throw describe(error);
  } finally {
    source.destroy();
    transform.destroy();
  }
}

function describeGzipError(label: string) {
  return (error: unknown) =>
    errorCode(error).includes('Z_BUF_ERROR')
      ? corrupt(`${label} is truncated.`)
      : corrupt(`${label} is not valid gzip data.`);
}

function describeLzmaError(label: string, format: string) {
  return (error: unknown) => {
    const code = errorCode(error);
    if (code.includes('BUF_ERROR')) return corrupt(`${label} is truncated.`);
    if (code.includes('MEMLIMIT')) return corrupt(`${label} needs more memory to decompress than allowed.`);
    return corrupt(`${label} is not valid ${format} data.`);
  };
}

async function* inPieces(input: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += size) yield chunk.subarray(at, at + size);
  }
}

let xxhashApi: Promise<XXHashAPI> | undefined;

/**
 * zstd frames decoded one by one with fzstd, each frame's content checksum verified. fzstd
 * decodes a whole pushed chunk at once (a few KiB of RLE blocks are hundreds of MiB), so a chunk
 * is pushed in pieces that end at block boundaries, each regenerating at most ZSTD_OUTPUT_STEP
 * (plus one block), and each piece's output is handed on before the next is decoded; `maxBytes` is
 * counted as it emits: past it, decoding stops with a `corrupt` error.
 */
export async function* unzstdStream(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  label: string,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<Uint8Array> {
  xxhashApi ??= xxhash();
  const { create64 } = await xxhashApi;
  const guard = new ZstdFrameGuard(ZSTD_WINDOW_LIMIT, ZSTD_OUTPUT_STEP);
  let out: Uint8Array[] = [];
  let frameHash = create64(0n);
  let total = 0;
  const decoder = new ZstdDecompress((part) => {
    if (part.length === 0) return;
    total += part.length;
    if (total > maxBytes) throw corrupt(`${label} decompresses to more than the ${maxBytes}-byte limit.`);
    frameHash.update(part);
    out.push(part.slice());
  });
  const check = (problem: string | undefined) => {
    if (problem === 'truncated') throw corrupt(`${label} is truncated.`);
    if (problem === 'too_large') throw corrupt(`${label} needs a larger zstd window than allowed.`);
    if (problem) throw corrupt(`${label} is not valid zstd data.`);
  };
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      decoder.push(chunk, final);
    } catch (error) {
      if (error instanceof DebFormatError) throw error;
      if ((error as { code?: unknown }).code === 5) throw corrupt(`${label} is truncated.`);
      throw corrupt(`${label} is not valid zstd data.`);
    }
  };
  for await (const chunk of input) {
    check(guard.push(chunk));
    // Push frame by frame (once a frame's last bytes are in, fzstd has emitted all its content), and
    // within a frame up to each output cut.
    const cuts: { end: number; frame?: { checksum: number | undefined } }[] = [
      ...guard.takeFrameEnds().map(({ end, checksum }) => ({ end, frame: { checksum } })),
      ...guard.takeOutputCuts().map((end) => ({ end })),
    ].sort((a, b) => a.end - b.end);
    let start = 0;
    for (const { end, frame } of cuts) {
      push(chunk.subarray(start, end), false);
      start = end;
      if (frame) {
        if (frame.checksum !== undefined && Number(frameHash.digest() & 0xffffffffn) !== frame.checksum) {
          throw corrupt(`${label} does not match its zstd checksum.`);
        }
        frameHash = create64(0n);
      }
      yield* out;
      out = [];
    }
    if (start < chunk.length) push(chunk.subarray(start), false);
    yield* out;
    out = [];
  }
  check(guard.end());
  push(new Uint8Array(0), true);
  yield* out;
}

function decompressor(
  input: AsyncIterable<Uint8Array>,
  compression: DebCompression,
  label: string,
): AsyncIterable<Uint8Array> {
  switch (compression) {
    case 'none':
      return input;
    case 'gzip':
      return throughTransform(input, createGunzip(), describeGzipError(label));
    case 'xz':
      return throughTransform(
        inPieces(input, LZMA_PIECE_BYTES),
        lzma.createDecompressor({ memlimit: XZ_MEMLIMIT }),
        describeLzmaError(label, 'xz'),
      );
    case 'lzma':
      return throughTransform(
        inPieces(input, LZMA_PIECE_BYTES),
        lzma.createStream('aloneDecoder', { memlimit: XZ_MEMLIMIT }),
        describeLzmaError(label, 'lzma'),
      );
    case 'zstd':
      return unzstdStream(input, label);
    case 'bzip2':
      throw corrupt(
        `${label} uses bzip2, which Pallet does not accept; rebuild the package with xz, zstd or gzip.`,
      );
  }
}

/**
 * Yields the decompressed bytes of `input` (compressed with `compression`), at most
 * `maxOutputBytes` of them: past that the member is refused as a likely decompression bomb.
 */
export async function* decompressStream(
  input: AsyncIterable<Uint8Array>,
  compression: DebCompression,
  maxOutputBytes: number,
  label: string,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const part of decompressor(input, compression, label)) {
    total += part.length;
    if (total > maxOutputBytes) {
      throw corrupt(
        `${label} decompresses to more than ${maxOutputBytes} bytes, which is refused as a decompression bomb.`,
      );
    }
    yield part;
  }
}
