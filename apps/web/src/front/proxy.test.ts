// The front's proxy to the Next.js child, against a stand-in child on a unix socket: method, path,
// headers and the front's peer stamp reach it (a client's forged stamp and hop-by-hop headers do not),
// several Set-Cookie headers, statuses and redirects come back unchanged, bodies stream both ways, a
// client that goes away aborts the upstream request, and no child at all is a 503.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http, {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_HEADER, stampPeerAddress } from '../lib/peer-address';
import { proxyRequest, type Upstream } from './proxy';

let dir: string;
let child: Server;
let front: Server;
let port: number;
let upstream: Upstream | null;
const seen: { method?: string; url?: string; headers: IncomingMessage['headers'] }[] = [];
let upstreamClosed: Promise<void> = Promise.resolve();
/** What the front's beforeAnswer hook saw: whether the child had finished handling the request. */
const hookRuns: { childDone: boolean; headersSent: boolean }[] = [];
let childDone = false;

function childHandler(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ method: req.method, url: req.url, headers: req.headers });
  if (req.url === '/cookies') {
    res.writeHead(302, { location: '/dashboard', 'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'] });
    res.end();
  } else if (req.url === '/revoke') {
    childDone = false;
    req.resume();
    req.on('end', () => {
      childDone = true;
      res.writeHead(204);
      res.end();
    });
  } else if (req.url === '/echo') {
    // Streams the body back as it arrives.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.pipe(res);
  } else if (req.url === '/endless') {
    let resolve: () => void = () => {};
    upstreamClosed = new Promise((r) => {
      resolve = r;
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('x'.repeat(1024)), 10);
    res.on('close', () => {
      clearInterval(timer);
      resolve();
    });
  } else {
    res.writeHead(418, 'Teapot Here', { 'x-child': 'yes' });
    res.end('short and stout');
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pallet-proxy-test-'));
  const socketPath = join(dir, 'child.sock');
  child = createServer(childHandler);
  child.listen(socketPath);
  await once(child, 'listening');
  upstream = { socketPath, agent: new http.Agent({ keepAlive: true }) };
  front = createServer((req, res) => {
    stampPeerAddress(req);
    const hooked = req.url === '/revoke';
    proxyRequest(req.url === '/nochild' ? null : upstream, req, res, PEER_HEADER, {
      beforeAnswer: hooked ? () => hookRuns.push({ childDone, headersSent: res.headersSent }) : undefined,
    });
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  port = (front.address() as AddressInfo).port;
});

afterAll(async () => {
  upstream?.agent.destroy();
  front?.closeAllConnections();
  child?.closeAllConnections();
  await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => child.close(r))]);
  rmSync(dir, { recursive: true, force: true });
});

function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; message: string; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: opts.method ?? 'GET',
      headers: opts.headers,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          message: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.end(opts.body);
  });
}

describe('the front proxy', () => {
  it('runs beforeAnswer once the child has answered and before the client sees the answer', async () => {
    hookRuns.length = 0;
    const res = await call('/revoke', { method: 'DELETE' });
    expect(res.status).toBe(204);
    // The hook ran exactly once, after the child's work, and before the front wrote the answer's head.
    expect(hookRuns).toEqual([{ childDone: true, headersSent: false }]);
  });

  it('passes method, path and headers, replaces a forged peer stamp and drops hop-by-hop headers', async () => {
    const res = await call('/anything?q=1', {
      method: 'PATCH',
      headers: {
        'x-custom': 'kept',
        'x-pallet-peer': '203.0.113.9',
        'x-forwarded-for': '198.51.100.7',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'dropped',
        cookie: 'session=abc',
      },
    });
    expect(res.status).toBe(418);
    expect(res.message).toBe('Teapot Here');
    expect(res.headers['x-child']).toBe('yes');
    expect(res.body.toString()).toBe('short and stout');
    const got = seen.at(-1)!;
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe('/anything?q=1');
    expect(got.headers['x-custom']).toBe('kept');
    expect(got.headers[PEER_HEADER]).toBe('127.0.0.1');
    expect(got.headers['x-forwarded-for']).toBe('198.51.100.7');
    expect(got.headers['x-secret-hop']).toBeUndefined();
    expect(got.headers.cookie).toBe('session=abc');
    expect(got.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it('returns redirects and several Set-Cookie headers unchanged', async () => {
    const res = await call('/cookies', { method: 'POST', body: Buffer.from('a=b') });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/dashboard');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('streams a large body to the child and its answer back', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    const res = await call('/echo', { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect(createHash('sha256').update(res.body).digest('hex')).toBe(
      createHash('sha256').update(body).digest('hex'),
    );
  });

  it('aborts the upstream request when the client goes away', async () => {
    const req = request({ host: '127.0.0.1', port, path: '/endless' });
    req.on('error', () => {});
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    await once(res, 'data');
    req.destroy();
    await upstreamClosed;
  });

  it('answers 503 while there is no child to ask', async () => {
    const res = await call('/nochild');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body.toString()).error.code).toBe('unavailable');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
