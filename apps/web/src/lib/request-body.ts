// Reads a small request body (JSON, a sign-in form) with a byte cap: a declared Content-Length over the
// cap is refused before a byte is read, a chunked body is counted while it streams. On refusal the rest
// of the body is drained in the background (bounded), so the 413 goes out at once and the connection
// stays usable instead of being reset under the client.
import { TooLarge } from '@pallet/core';

function tooLarge(maxBytes: number): TooLarge {
  return new TooLarge(`The request body exceeds the limit of ${maxBytes} bytes.`, 'body_too_large');
}

/** Reads and throws away a refused body, up to `maxBytes` more; beyond that the stream is cancelled. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let drained = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      drained += value.byteLength;
      if (drained > maxBytes) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing left to drain.
  }
}

/**
 * The body as UTF-8 text, at most `maxBytes` bytes; throws TooLarge (413) beyond that, after which up to
 * `drainMaxBytes` more are read and dropped in the background (PALLET_JSON_DRAIN_MAX_BYTES).
 */
export async function readLimitedText(
  request: Request,
  maxBytes: number,
  drainMaxBytes: number,
): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    void drain(reader, drainMaxBytes);
    throw tooLarge(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      chunks.length = 0;
      void drain(reader, drainMaxBytes);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
