// discardRequestBody follows the bounds it is given (PALLET_UPLOAD_DISCARD_*), not fixed ones; a body
// attached as a node stream (the front's request) is read and discarded like a Web one.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { attachNodeBody, type DiscardBounds, discardRequestBody, readMultipartUpload } from './multipart';

/** A streamed body that delivers `size`-byte chunks every `everyMs` until cancelled, counting them. */
function trickleBody(size: number, everyMs: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, everyMs));
      state.pulled++;
      controller.enqueue(new Uint8Array(size));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const request = new Request('http://pallet.test/upload', {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { request, state };
}

const bounds = (over: Partial<DiscardBounds>): DiscardBounds => ({
  replyAfterMs: 500,
  maxBytes: 64 * 1024 * 1024,
  maxMs: 10_000,
  closeGraceMs: 1_000,
  ...over,
});

describe('discardRequestBody', () => {
  it('answers after the configured wait while a body keeps arriving', async () => {
    const { request, state } = trickleBody(1024, 5);
    const started = Date.now();
    await discardRequestBody(request, bounds({ replyAfterMs: 50, closeGraceMs: 10, maxMs: 100 }));
    expect(Date.now() - started).toBeLessThan(400);
    // Past maxMs reading stops and, after closeGraceMs, the body is closed.
    await expect.poll(() => state.cancelled, { timeout: 2000 }).toBe(true);
  });

  it('stops reading once the configured byte bound is passed and closes after the grace', async () => {
    const { request, state } = trickleBody(16 * 1024, 1);
    await discardRequestBody(request, bounds({ maxBytes: 64 * 1024, closeGraceMs: 20 }));
    await expect.poll(() => state.cancelled, { timeout: 2000 }).toBe(true);
    expect(state.pulled).toBeLessThan(20);
  });
});

const BOUNDARY = 'pallet-test-boundary';

/** A multipart body with a `distribution` field and a `file` part holding `file`. */
function multipartBytes(file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="distribution"\r\n\r\ndebian/bookworm\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.deb"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** A POST Request without a Web body, its body attached as a node stream the way the front does. */
function requestWithNodeBody(body: Readable): Request {
  const request = new Request('http://pallet.test/upload', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  attachNodeBody(request, body);
  return request;
}

async function collect(file: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of file) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('attachNodeBody', () => {
  it('hands the multipart parser a node stream as the request body', async () => {
    const file = Buffer.alloc(3 * 65536 + 17, 7);
    const body = Readable.from([multipartBytes(file)]);
    const { staged, fields } = await readMultipartUpload(
      requestWithNodeBody(body),
      1024 * 1024,
      (stream, filename) => collect(stream).then((bytes) => ({ bytes, filename })),
      async () => {},
      bounds({}),
    );
    expect(staged.filename).toBe('a.deb');
    expect(staged.bytes.equals(file)).toBe(true);
    expect(fields).toEqual({ distribution: 'debian/bookworm' });
  });

  it('reads the rest of a refused node body away, then closes it', async () => {
    const body = new PassThrough();
    const request = requestWithNodeBody(body);
    body.write(Buffer.alloc(1024));
    const answered = discardRequestBody(
      request,
      bounds({ replyAfterMs: 1000, maxBytes: 4096, closeGraceMs: 10 }),
    );
    body.write(Buffer.alloc(8192));
    await answered;
    await expect.poll(() => body.destroyed, { timeout: 2000 }).toBe(true);
  });
});
