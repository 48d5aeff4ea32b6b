// The front's answer cache with the real pieces around it: a DownloadCache, a BlobMemoryCache over
// FsStorage in a temporary directory, and a node:http server that answers from the cache or says 599.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadCache } from '@pallet/core';
import { FsStorage } from '@pallet/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerCache, type CachedAnswer } from './answer-cache';
import { BlobMemoryCache } from './blob-memory-cache';

const KEY = `files/sha256/ab/cd/${'ab'.repeat(32)}`;
const PKG = {
  repositoryId: 'r1',
  distribution: 'debian/bookworm',
  name: 'hello',
  version: '1',
  architecture: 'all',
};

let dir: string;
let storage: FsStorage;
let cache: DownloadCache;
let blobs: BlobMemoryCache;
let answers: AnswerCache;
let server: Server;
let base: string;
let lastKey: string | null;

function answer(overrides: Partial<CachedAnswer> = {}): CachedAnswer {
  return {
    generation: cache.generation(),
    expiresAt: Date.now() + 60_000,
    headers: { 'content-type': 'application/octet-stream', etag: '"e1"' },
    inline: null,
    storageKey: KEY,
    tokenId: null,
    package: PKG,
    ...overrides,
  };
}

/** Loads the stored file into the blob cache and remembers an answer for this request's key. */
async function rememberFor(path: string, headers: Record<string, string>, a: CachedAnswer) {
  await blobs.get(KEY);
  const res = await fetch(`${base}${path}`, { headers: { ...headers, 'x-probe-key': '1' } });
  await res.arrayBuffer();
  expect(lastKey).not.toBeNull();
  answers.remember(lastKey!, a);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pallet-answer-cache-'));
  storage = new FsStorage(dir);
  await storage.put(KEY, Buffer.from('original bytes'));
  cache = new DownloadCache();
  cache.setLive(true);
  blobs = new BlobMemoryCache(storage, 1024 * 1024, 0);
  answers = new AnswerCache(cache, blobs);
  lastKey = null;
  server = createServer((req: IncomingMessage, res) => {
    const key = answers.keyOf(req);
    if (req.headers['x-probe-key']) {
      lastKey = key;
      res.end();
      return;
    }
    if (key !== null && answers.serve(key, req, res)) return;
    res.writeHead(599);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AnswerCache', () => {
  it('answers a repeat request with the remembered headers and the bytes from the blob cache', async () => {
    await rememberFor('/dl/acme/tools/deb/debian/pool/x.deb', {}, answer());
    const res = await fetch(`${base}/dl/acme/tools/deb/debian/pool/x.deb`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"e1"');
    expect(await res.text()).toBe('original bytes');
  });

  it('keys by target, Authorization and https: any other value is a miss', async () => {
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', { authorization: 'Basic one' }, answer());
    expect(
      (await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`, { headers: { authorization: 'Basic one' } })).status,
    ).toBe(200);
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
    expect(
      (await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`, { headers: { authorization: 'Basic two' } })).status,
    ).toBe(599);
    expect(
      (
        await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`, {
          headers: { authorization: 'Basic one', 'x-forwarded-proto': 'https' },
        })
      ).status,
    ).toBe(599);
    expect(
      (await fetch(`${base}/dl/a/b/deb/d/pool/x.deb?v=1`, { headers: { authorization: 'Basic one' } }))
        .status,
    ).toBe(599);
  });

  it('never keys ranges, conditional requests, client certificates or methods other than GET', async () => {
    const req = (method: string, headers: Record<string, string>) =>
      ({ method, url: '/dl/a', headers }) as unknown as IncomingMessage;
    expect(answers.keyOf(req('GET', {}))).not.toBeNull();
    expect(answers.keyOf(req('HEAD', {}))).toBeNull();
    expect(answers.keyOf(req('GET', { range: 'bytes=0-1' }))).toBeNull();
    expect(answers.keyOf(req('GET', { 'if-none-match': '"e1"' }))).toBeNull();
    expect(answers.keyOf(req('GET', { 'if-modified-since': 'Sun, 06 Dec 2026 00:00:00 GMT' }))).toBeNull();
    expect(answers.keyOf(req('GET', { 'if-range': '"e1"' }))).toBeNull();
    expect(answers.keyOf(req('GET', { 'x-pallet-client-cert': 'pem' }))).toBeNull();
  });

  it('drops every answer when the download cache hears of any change', async () => {
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, answer());
    cache.invalidate('repo:someone-else');
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, answer());
    cache.clear();
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
  });

  it('does not keep an answer resolved before a change, nor any while notifications are down', async () => {
    const before = answer();
    cache.invalidate('tokens');
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, before);
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
    cache.setLive(false);
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, answer());
    expect(answers.size).toBe(0);
  });

  it('stops at its expiry (the cache TTL, or a retained file end of retention)', async () => {
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, answer({ expiresAt: Date.now() - 1 }));
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
  });

  it('serves the bytes now on disk: changed bytes are a miss, never the old answer', async () => {
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', {}, answer());
    await storage.put(KEY, Buffer.from('changed behind our back'));
    expect((await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`)).status).toBe(599);
  });

  it('answers a token request only while its token is still cached', async () => {
    await rememberFor('/dl/a/b/deb/d/pool/x.deb', { authorization: 'Basic t' }, answer({ tokenId: 't1' }));
    // The token cache has never checked this header: the answer is not used.
    expect(
      (await fetch(`${base}/dl/a/b/deb/d/pool/x.deb`, { headers: { authorization: 'Basic t' } })).status,
    ).toBe(599);
  });

  it('keeps an inline file own bytes', async () => {
    await rememberFor(
      '/dl/a/b/gpg.asc',
      {},
      answer({ storageKey: null, inline: Buffer.from('-----BEGIN PGP'), package: undefined }),
    );
    expect(await (await fetch(`${base}/dl/a/b/gpg.asc`)).text()).toBe('-----BEGIN PGP');
  });
});

describe('BlobMemoryCache recheck window', () => {
  it('serves the cached bytes within the window and the disk bytes after it', async () => {
    const slow = new BlobMemoryCache(storage, 1024 * 1024, 200);
    expect((await slow.get(KEY))?.toString()).toBe('original bytes');
    await storage.put(KEY, Buffer.from('changed'));
    expect(slow.peek(KEY)?.toString()).toBe('original bytes');
    await new Promise((r) => setTimeout(r, 250));
    expect(slow.peek(KEY)).toBeNull();
    expect((await slow.get(KEY))?.toString()).toBe('changed');
  });
});
