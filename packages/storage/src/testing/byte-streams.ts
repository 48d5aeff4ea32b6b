// Test bodies generated lazily, chunk by chunk, from a fixed pseudo-random pattern, so a large
// upload costs no memory in the test itself and its bytes can be checked without keeping them.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const PERIOD = 65_537; // prime, so the pattern never lines up with part or chunk boundaries
const pattern = randomBytes(PERIOD);
const doubled = Buffer.concat([pattern, pattern]);
const CHUNK = 64 * 1024;

/** A fresh copy of bytes [offset, offset + length) of the endless pattern (length ≤ 64 KiB). */
function patternBytes(offset: number, length: number): Buffer {
  const at = offset % PERIOD;
  return Buffer.from(doubled.subarray(at, at + length));
}

export interface PatternStreamOptions {
  /** Throw this error once this many bytes have been produced. */
  failAfter?: { bytes: number; error: Error };
  /** Stop producing after this many bytes until `resume` settles. */
  pauseAfter?: { bytes: number; resume: Promise<void> };
}

async function* patternChunks(total: number, opts: PatternStreamOptions): AsyncGenerator<Buffer> {
  let offset = 0;
  while (offset < total) {
    if (opts.failAfter && offset >= opts.failAfter.bytes) throw opts.failAfter.error;
    if (opts.pauseAfter && offset >= opts.pauseAfter.bytes) await opts.pauseAfter.resume;
    const length = Math.min(CHUNK, total - offset);
    yield patternBytes(offset, length);
    offset += length;
  }
  if (opts.failAfter) throw opts.failAfter.error;
}

export function patternStream(total: number, opts: PatternStreamOptions = {}): Readable {
  return Readable.from(patternChunks(total, opts));
}

/** The whole pattern prefix as one buffer, for small objects. */
export function patternBuffer(total: number): Buffer {
  return Buffer.concat(
    Array.from({ length: Math.ceil(total / CHUNK) }, (_, i) =>
      patternBytes(i * CHUNK, Math.min(CHUNK, total - i * CHUNK)),
    ),
  );
}

export async function sha256OfPattern(total: number): Promise<string> {
  return sha256Of(patternStream(total));
}

export async function sha256Of(body: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
