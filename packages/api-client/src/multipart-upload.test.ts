import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postMultipartFile } from './multipart-upload';

let dir: string;
let server: http.Server | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pallet-multipart-upload-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/up`;
}

describe('postMultipartFile', () => {
  it('sends the fields, then the file, framed as multipart/form-data with an exact Content-Length', async () => {
    const path = join(dir, 'pkg.deb');
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(path, bytes);
    let seen: { headers: http.IncomingHttpHeaders; body: Buffer } | undefined;
    const url = await listen((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(parts) };
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    let counted = 0;
    const res = await postMultipartFile(url, {
      path,
      filename: 'a "b"\r\n.deb',
      fields: { distribution: 'debian/bookworm', overwrite: 'true' },
      headers: { authorization: 'Bearer t' },
      onBytes: (n) => {
        counted += n;
      },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    expect(counted).toBe(bytes.length);
    const { headers, body } = seen!;
    expect(headers.authorization).toBe('Bearer t');
    const boundary = /boundary=(\S+)$/.exec(headers['content-type'] ?? '')?.[1];
    expect(boundary).toMatch(/^pallet-[0-9a-f]{24}$/);
    expect(Number(headers['content-length'])).toBe(body.length);
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="distribution"\r\n\r\ndebian/bookworm\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="overwrite"\r\n\r\ntrue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a _b___.deb"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n';
    const tail = `\r\n--${boundary}--\r\n`;
    expect(body.equals(Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]))).toBe(true);
  });

  it('returns an answer that comes before the body was sent (a refusal), and stops sending', async () => {
    const path = join(dir, 'big.deb');
    writeFileSync(path, Buffer.alloc(64 * 1024 * 1024));
    let received = 0;
    const url = await listen((req, res) => {
      req.on('data', (c: Buffer) => {
        received += c.length;
      });
      req.pause();
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"too_large"}}');
    });
    const res = await postMultipartFile(url, { path, filename: 'big.deb', fields: {} });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'too_large' } });
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  it('fails as fetch does when nothing answers', async () => {
    const path = join(dir, 'small.deb');
    writeFileSync(path, 'x');
    const url = await listen(() => {});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const failure = await postMultipartFile(url, { path, filename: 'small.deb', fields: {} }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });
});
