// Streams a multipart/form-data upload: the `file` part goes straight to a consumer (no buffering),
// the small text fields are collected. Fields may come before or after the file.
// Every path settles promptly: a consumer rejecting the file, a malformed body or a client going away
// ends the read as soon as the consumer has cleaned up. The rest of a refused body is then read and
// thrown away before the answer goes out (briefly: at most bounds.replyAfterMs): behind Next's handler the
// connection was seen closed right after an early answer, and a close with unread bytes resets the
// connection, which can swallow the answer on the client's side (a Node client got EPIPE, no answer). Past that wait the answer goes out and the discarding goes
// on in the background (bounded, like nginx's lingering close) until the connection is closed.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InvalidRequest, TooLarge } from '@pallet/core';
import busboy from 'busboy';
import { unsafeTextReason } from './edge-input';

const MULTIPART_OVERHEAD = 1024 * 1024;
/** How a refused body is dropped (PALLET_UPLOAD_DISCARD_*, see Config.uploadDiscard). */
export interface DiscardBounds {
  /** how long a refusal waits for the rest of the body to arrive (and be dropped) before answering */
  replyAfterMs: number;
  /** how much of a refused body is read and dropped in all before the connection is closed instead */
  maxBytes: number;
  maxMs: number;
  /** time an answer gets to reach the client before a connection with an unread body is closed */
  closeGraceMs: number;
}

const opened = new WeakMap<Request, Readable>();
const discarding = new WeakMap<Readable, Promise<void>>();

/**
 * Gives a body-less Request the node stream its body arrives on (the front's IncomingMessage): the
 * multipart parser then reads the socket's chunks directly, without the round trip through a Web
 * stream (Readable.toWeb, then Readable.fromWeb) that a streamed Request body costs per chunk.
 */
export function attachNodeBody(request: Request, body: Readable): void {
  body.on('error', () => {});
  opened.set(request, body);
}

function bodyOf(request: Request): Readable | null {
  const known = opened.get(request);
  if (known) return known;
  if (!request.body || request.body.locked) return null;
  const body = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
  body.on('error', () => {});
  opened.set(request, body);
  return body;
}

/**
 * Reads and drops what is left of a request body that will not be used (a refused upload). Resolves
 * (the answer may go out) once the body has ended, bounds.replyAfterMs have passed or the byte bound was
 * reached; dropping goes on up to its bounds, then reading stops and, once the answer had
 * bounds.closeGraceMs to leave, the connection is closed. Safe to call more than once, and after the end.
 */
export function discardRequestBody(request: Request, bounds: DiscardBounds): Promise<void> {
  const body = bodyOf(request);
  if (!body || body.readableEnded || body.destroyed) return Promise.resolve();
  const known = discarding.get(body);
  if (known) return known;
  let answer: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    answer = resolve;
  });
  let discarded = 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // Stop reading but do not close yet: closing under unread bytes would reset the answer away.
    body.pause();
    answer();
    setTimeout(() => body.destroy(), bounds.closeGraceMs).unref();
  };
  const limit = setTimeout(stop, bounds.maxMs);
  limit.unref();
  const reply = setTimeout(answer, bounds.replyAfterMs);
  const done = () => {
    clearTimeout(limit);
    clearTimeout(reply);
    answer();
  };
  body.once('close', done);
  body.once('end', done);
  body.on('data', (chunk: Uint8Array) => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) stop();
  });
  discarding.set(body, answered);
  body.resume();
  return answered;
}

export async function readMultipartUpload<T>(
  request: Request,
  maxBytes: number,
  onFile: (file: AsyncIterable<Uint8Array>, filename: string) => Promise<T>,
  /** Undoes a successful onFile when the request fails afterwards (e.g. a malformed trailing part). */
  onDiscard: (staged: T) => Promise<void>,
  discardBounds: DiscardBounds,
): Promise<{ staged: T; fields: Record<string, string> }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new InvalidRequest(
      'Upload with multipart/form-data: a `file` part plus `distribution` (and optional `component`, `overwrite`).',
    );
  }
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(length) && length > maxBytes + MULTIPART_OVERHEAD) {
    throw new TooLarge(`The upload exceeds the limit of ${maxBytes} bytes.`);
  }
  const body = bodyOf(request);
  if (!body) throw new InvalidRequest('The request has no body.');
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 16 * 1024, parts: 25 },
    });
  } catch {
    throw new InvalidRequest('The multipart body is malformed.');
  }
  parser.on('error', () => {});

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let settled = false;
    let parsed = false;
    let file: Readable | null = null;
    let consumer: Promise<T> | null = null;
    let staged: { value: T } | null = null;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // busboy waits forever on a file stream nobody reads: take the body away from it.
      body.unpipe(parser);
      parser.destroy();
      file?.destroy(error instanceof Error ? error : undefined);
      const cleanup = consumer
        ? consumer.then(
            (value) => onDiscard(value),
            () => {},
          )
        : Promise.resolve();
      Promise.all([cleanup.catch(() => {}), discardRequestBody(request, discardBounds)]).finally(() =>
        reject(error),
      );
    };
    const succeedWhenDone = () => {
      if (settled || !parsed || !staged) return;
      settled = true;
      resolve({ staged: staged.value, fields });
    };

    parser.on('field', (name, value) => {
      // The text fields get the same edge check as JSON bodies (no NUL, no unpaired surrogate).
      const reason = unsafeTextReason(name) ?? unsafeTextReason(value);
      if (reason) fail(new InvalidRequest(`The form field "${printableField(name)}" contains ${reason}.`));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (settled || name !== 'file' || consumer) {
        stream.resume();
        return;
      }
      file = stream;
      consumer = onFile(stream, info.filename ?? 'upload');
      consumer.then(
        (value) => {
          staged = { value };
          succeedWhenDone();
        },
        (err: unknown) => fail(err),
      );
    });
    parser.on('error', () => fail(new InvalidRequest('The multipart body is malformed.')));
    parser.on('close', () => {
      parsed = true;
      if (!consumer) fail(new InvalidRequest('The upload has no `file` part.'));
      else succeedWhenDone();
    });
    body.on('error', () =>
      fail(new InvalidRequest('The upload ended before its body was complete.', 'upload_interrupted')),
    );
    body.pipe(parser);
  });
}

function printableField(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}
