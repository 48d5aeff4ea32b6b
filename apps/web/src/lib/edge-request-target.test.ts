import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseBadRequestTarget } from './edge-request-target';

// A node:http server that runs the check first, as apps/web/server.ts does, and answers 204 otherwise.
const server = createServer((req, res) => {
  if (refuseBadRequestTarget(req, res)) return;
  res.writeHead(204).end();
});
let port = 0;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

/** Sends the request target exactly as written (fetch would normalise it). */
function send(target: string, method = 'GET'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('refuseBadRequestTarget', () => {
  it('lets ordinary targets through', async () => {
    expect((await send('/dl/acme/tools/deb/debian/pool/h/hello_1.0%2B1_amd64.deb?x=caf%C3%A9')).status).toBe(
      204,
    );
  });

  it.each([
    '/api/v1/orgs/%ZZ',
    '/dl/%E0%A4%A',
    '/orgs/acme%00/repos',
    '/sign-in?callbackUrl=%00',
    '/x?q=100%',
  ])('answers %s with a contract 400', async (target) => {
    const res = await send(target);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.body).error.code).toBe('invalid_request');
  });

  it('answers HEAD without a body', async () => {
    const res = await send('/dl/%E0%A4%A', 'HEAD');
    expect(res.status).toBe(400);
    expect(res.body).toBe('');
  });
});
