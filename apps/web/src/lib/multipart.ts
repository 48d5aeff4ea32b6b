// Streams a multipart/form-data upload: the `file` part goes straight to a consumer (no buffering),
// the small text fields are collected. Fields may come before or after the file.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InvalidRequest, TooLarge } from '@pallet/core';
import busboy from 'busboy';

const MULTIPART_OVERHEAD = 1024 * 1024;

export async function readMultipartUpload<T>(
  request: Request,
  maxBytes: number,
  onFile: (file: AsyncIterable<Uint8Array>, filename: string) => Promise<T>,
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
  if (!request.body) throw new InvalidRequest('The request has no body.');
  const body = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 16 * 1024, parts: 25 },
    });
  } catch {
    throw new InvalidRequest('The multipart body is malformed.');
  }
  const fields: Record<string, string> = {};
  let filePromise: Promise<T> | null = null;
  const done = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || filePromise) {
        stream.resume();
        return;
      }
      filePromise = onFile(stream, info.filename ?? 'upload');
      filePromise.catch(() => {
        // Stop reading: the consumer has failed and will answer with its error.
        stream.resume();
      });
    });
    parser.on('error', () => reject(new InvalidRequest('The multipart body is malformed.')));
    parser.on('close', () => resolve());
  });
  body.on('error', () => parser.destroy());
  body.pipe(parser);
  try {
    await done;
  } catch (err) {
    if (filePromise) await (filePromise as Promise<T>).catch(() => {});
    throw err;
  }
  if (!filePromise) throw new InvalidRequest('The upload has no `file` part.');
  const staged = await (filePromise as Promise<T>);
  return { staged, fields };
}
