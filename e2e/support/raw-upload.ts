// A bare HTTP/1.1 multipart upload client (node:http, one fresh connection per request) that streams its
// body in chunks and reads the answer as soon as the server sends it, like curl does. It reports the
// answer even when the server closes the connection before the body was sent, and fails when no
// answer arrives within `timeoutMs`: that timeout is the assertion "the server answers promptly".
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface UploadAnswer {
  status: number;
  text: string;
  json: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

export interface RawUpload {
  token: string;
  filename: string;
  file: Uint8Array;
  fields?: Record<string, string>;
  timeoutMs: number;
  /** Send with chunked transfer encoding: no Content-Length for the server to judge the size by. */
  chunked?: boolean;
  /** Bytes per write; the body is streamed, never sent in one piece. */
  chunkSize?: number;
  /** Drop the connection after this many body bytes (a client going away mid-upload). */
  disconnectAfter?: number;
  /** Runs when `disconnectAfter` bytes are sent, before the connection is dropped. */
  beforeDisconnect?: () => Promise<void>;
}

export class NoAnswer extends Error {}

function multipartBody(
  boundary: string,
  filename: string,
  file: Uint8Array,
  fields: Record<string, string>,
): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return Buffer.concat(parts);
}

export function postUpload(url: string, upload: RawUpload): Promise<UploadAnswer> {
  const boundary = `pallet-${randomBytes(12).toString('hex')}`;
  const body = multipartBody(boundary, upload.filename, upload.file, upload.fields ?? {});
  const chunkSize = upload.chunkSize ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, answer?: UploadAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${upload.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(upload.chunked ? {} : { 'content-length': String(body.length) }),
      },
    });
    const timer = setTimeout(
      () => finish(new NoAnswer(`no answer within ${upload.timeoutMs} ms for ${upload.filename}`)),
      upload.timeoutMs,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish(err));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = {} as UploadAnswer['json'];
        try {
          json = JSON.parse(text);
        } catch {}
        finish(null, { status: res.statusCode ?? 0, text, json });
      });
    });
    // Once the server has answered it may close the connection under the rest of the body: expected.
    req.on('error', (err) => {
      setTimeout(() => finish(err), 200);
    });
    const write = async () => {
      for (let offset = 0; offset < body.length && !done; offset += chunkSize) {
        if (upload.disconnectAfter !== undefined && offset >= upload.disconnectAfter) {
          await upload.beforeDisconnect?.();
          req.destroy();
          finish(null, { status: 0, text: '', json: {} });
          return;
        }
        if (!req.write(body.subarray(offset, offset + chunkSize))) {
          await new Promise<void>((r) => {
            req.once('drain', r);
            req.once('close', r);
          });
          if (req.destroyed) return;
        }
      }
      if (!done) req.end();
    };
    write().catch((err) => finish(err));
  });
}
