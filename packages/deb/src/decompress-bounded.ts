// Decompresses a buffered control.tar (gzip, xz or zstd) while counting output, so a small
// zip bomb is stopped as soon as it passes the limit instead of after filling memory; zstd frame
// checksums are verified (fzstd does not).
import { gunzipSync } from 'node:zlib';
import lzma from 'lzma-native';
import type { DebCompression } from './compression';
import { unzstdStream } from './decompress-stream';
import { corrupt, type DebFormatError } from './errors';
import { checkZstdFrames } from './zstd-frames';

const XZ_MEMLIMIT = 64 * 1024 * 1024;
const XZ_SLICE_BYTES = 1024;
const ZSTD_MIN_WINDOW_LIMIT = 8 * 1024 * 1024;

function tooLarge(label: string, limit: number): DebFormatError {
  return corrupt(`${label} decompresses to more than the ${limit}-byte limit.`);
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { code, name } = error as { code?: unknown; name?: unknown };
  return `${typeof code === 'string' || typeof code === 'number' ? code : ''} ${typeof name === 'string' ? name : ''}`;
}

function gunzipBounded(data: Uint8Array, limit: number, label: string): Uint8Array {
  try {
    return gunzipSync(data, { maxOutputLength: limit });
  } catch (error) {
    const code = errorCode(error);
    if (code.includes('ERR_BUFFER_TOO_LARGE') || error instanceof RangeError) throw tooLarge(label, limit);
    if (code.includes('Z_BUF_ERROR')) throw corrupt(`${label} is truncated.`);
    throw corrupt(`${label} is not valid gzip data.`);
  }
}

function unxzBounded(data: Uint8Array, limit: number, label: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const stream = lzma.createDecompressor({ memlimit: XZ_MEMLIMIT });
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: DebFormatError) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      reject(error);
    };
    stream.on('data', (part: Buffer) => {
      total += part.length;
      if (total > limit) return fail(tooLarge(label, limit));
      parts.push(part);
    });
    stream.on('error', (error: unknown) => {
      const code = errorCode(error);
      if (code.includes('BUF_ERROR')) return fail(corrupt(`${label} is truncated.`));
      if (code.includes('MEMLIMIT'))
        return fail(corrupt(`${label} needs more memory to decompress than allowed.`));
      fail(corrupt(`${label} is not valid xz data.`));
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(parts, total));
    });
    // liblzma inflates a written chunk completely before the stream can be stopped (~6 KiB of
    // xz -1 zeros is 64 MiB): write small slices, so a bomb is refused a slice after its limit.
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let offset = 0; offset < bytes.length; offset += XZ_SLICE_BYTES) {
      stream.write(bytes.subarray(offset, offset + XZ_SLICE_BYTES));
    }
    stream.end();
  });
}

async function unzstdBounded(data: Uint8Array, limit: number, label: string): Promise<Uint8Array> {
  const problem = checkZstdFrames(data, limit, Math.max(limit, ZSTD_MIN_WINDOW_LIMIT));
  if (problem === 'truncated') throw corrupt(`${label} is truncated.`);
  if (problem === 'too_large') throw tooLarge(label, limit);
  if (problem === 'invalid') throw corrupt(`${label} is not valid zstd data.`);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of unzstdStream([data], label, limit)) {
    total += part.length;
    if (total > limit) throw tooLarge(label, limit);
    parts.push(part);
  }
  return Buffer.concat(parts, total);
}

/** Decompresses `data` into at most `limit` bytes; `label` names the member in error messages. */
export async function decompressBounded(
  data: Uint8Array,
  compression: DebCompression,
  limit: number,
  label: string,
): Promise<Uint8Array> {
  switch (compression) {
    case 'none':
      if (data.length > limit) throw tooLarge(label, limit);
      return data;
    case 'gzip':
      return gunzipBounded(data, limit, label);
    case 'xz':
      return unxzBounded(data, limit, label);
    case 'zstd':
      return unzstdBounded(data, limit, label);
    default:
      throw corrupt(`${label} uses ${compression}, which control.tar may not use.`);
  }
}
