// The origin's own /dl path (the front process, outside Next.js) through HTTP: Content-Length on GET
// and HEAD for pool, index and by-hash files (from memory and streamed), ranges, validators, private
// repositories, a revoked token refused on the very next request, a new publication and a deletion
// visible at once after the switch although everything was cached, and the edge's auth hook.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'origin-org';
const PUB = 'public-tools';
const PRIV = 'private-tools';
let pallet: RunningPallet;
let work: string;
let api: PalletClient;
let other: PalletClient;
let ownerToken: string;
const pool: Record<string, { small: string; big?: string; bigSize?: number }> = {};

const dl = (repo: string, path: string) => `${pallet.baseUrl}/dl/${ORG}/${repo}/${path}`;
const basic = (token: string) => ({
  authorization: `Basic ${Buffer.from(`apt:${token}`).toString('base64')}`,
});

async function upload(repo: string, file: string) {
  const res = await api.uploadPackage(ORG, repo, file, { distribution: 'debian/bookworm' });
  const pkg = await api.waitForPackage(ORG, repo, res.data.id, 60_000);
  expect(pkg.status, pkg.error).toBe('published');
  return pkg;
}

/** GET and HEAD agree on Content-Length, and it is the body's length. */
async function expectLength(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const get = await fetch(url, { headers });
  expect(get.status, url).toBe(200);
  const body = Buffer.from(await get.arrayBuffer());
  expect(get.headers.get('content-length')).toBe(String(body.length));
  const head = await fetch(url, { method: 'HEAD', headers });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(body.length));
  expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
  return body;
}

beforeAll(async () => {
  // A small memory budget, so that files over 64 KiB take the streaming path.
  pallet = await startPallet('origin', { PALLET_SERVE_MEMORY_MB: '0.5' });
  work = mkdtempSync(join(tmpdir(), 'pallet-origin-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@origin.test',
    'origin owner password 1',
    ORG,
  );
  ownerToken = signup.token;
  api = new PalletClient(pallet.baseUrl, signup.token);
  const b = await new PalletClient(pallet.baseUrl).signup(
    'owner@other.test',
    'other owner password 1',
    'other-org',
  );
  other = new PalletClient(pallet.baseUrl, b.token);
  await api.createRepository(ORG, { name: PUB, visibility: 'public', keyAlgorithm: 'ed25519' });
  await api.createRepository(ORG, { name: PRIV, visibility: 'private', keyAlgorithm: 'ed25519' });
  const big = buildDeb(work, {
    name: 'origin-big',
    version: '1.0-1',
    body: randomBytes(300 * 1024).toString('base64'),
  });
  pool[PUB] = {
    small: (await upload(PUB, buildDeb(work, { name: 'origin-small', version: '1.0-1' }))).filename!,
  };
  const bigPkg = await upload(PUB, big);
  pool[PUB].big = bigPkg.filename!;
  pool[PRIV] = {
    small: (await upload(PRIV, buildDeb(work, { name: 'origin-secret', version: '1.0-1' }))).filename!,
  };
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('public repository files', () => {
  it('carry Content-Length on GET and HEAD for index, by-hash and pool files, small and streamed', async () => {
    const inRelease = (await expectLength(dl(PUB, 'deb/debian/dists/bookworm/InRelease'))).toString('utf8');
    const packages = /^ ([0-9a-f]{64}) +\d+ (main\/binary-amd64\/Packages)$/m.exec(inRelease);
    expect(packages, inRelease).not.toBeNull();
    const byHash = await expectLength(
      dl(PUB, `deb/debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/${packages![1]}`),
    );
    const canonical = await expectLength(dl(PUB, 'deb/debian/dists/bookworm/main/binary-amd64/Packages'));
    expect(byHash.equals(canonical)).toBe(true);
    await expectLength(dl(PUB, `deb/debian/${pool[PUB]!.small}`));
    const big = await expectLength(dl(PUB, `deb/debian/${pool[PUB]!.big}`));
    expect(big.length).toBeGreaterThan(128 * 1024);
    await expectLength(dl(PUB, 'gpg.asc'));
  });

  it('sets the cache policy per kind: indexes revalidate, pool and by-hash files are immutable', async () => {
    const idx = await fetch(dl(PUB, 'deb/debian/dists/bookworm/InRelease'), { method: 'HEAD' });
    expect(idx.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate');
    const deb = await fetch(dl(PUB, `deb/debian/${pool[PUB]!.small}`), { method: 'HEAD' });
    expect(deb.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(deb.headers.get('content-type')).toBe('application/vnd.debian.binary-package');
    expect(deb.headers.get('accept-ranges')).toBe('bytes');
  });

  it('answers single ranges (from memory and streamed) and 416 past the end', async () => {
    for (const file of [pool[PUB]!.small, pool[PUB]!.big!]) {
      const url = dl(PUB, `deb/debian/${file}`);
      const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
      const part = await fetch(url, { headers: { range: 'bytes=100-299' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-length')).toBe('200');
      expect(part.headers.get('content-range')).toBe(`bytes 100-299/${whole.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100, 300))).toBe(true);
      const tail = await fetch(url, { method: 'HEAD', headers: { range: 'bytes=-10' } });
      expect(tail.status).toBe(206);
      expect(tail.headers.get('content-length')).toBe('10');
      const past = await fetch(url, { headers: { range: `bytes=${whole.length + 5}-` } });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    }
  });

  it('answers 304 to If-None-Match and If-Modified-Since', async () => {
    const url = dl(PUB, 'deb/debian/dists/bookworm/InRelease');
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const byTag = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    const byDate = await fetch(url, {
      headers: { 'if-modified-since': first.headers.get('last-modified')! },
    });
    expect(byDate.status).toBe(304);
    const stale = await fetch(url, { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('answers 400 to malformed percent-encoding and NUL, 404 to unknown files, 405 to other methods', async () => {
    expect((await fetch(`${pallet.baseUrl}/dl/${ORG}/${PUB}/deb/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${pallet.baseUrl}/dl/${ORG}/${PUB}/deb/debian/pool/a%00b.deb`)).status).toBe(400);
    const missing = await fetch(dl(PUB, 'deb/debian/pool/main/n/nope/nope_1_all.deb'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await fetch(dl(PUB, 'deb/debian/dists/bookworm/InRelease'), { method: 'POST' })).status).toBe(
      405,
    );
  });

  it('shows a new publication on the first request after the switch, and a deletion too (the file kept for retention)', async () => {
    const url = dl(PUB, 'deb/debian/dists/bookworm/main/binary-amd64/Packages');
    // Warm every cache first.
    for (let i = 0; i < 3; i++) expect((await fetch(url)).status).toBe(200);
    const before = await (await fetch(url)).text();
    expect(before).not.toContain('Package: origin-late');
    const late = await upload(PUB, buildDeb(work, { name: 'origin-late', version: '2.0-1' }));
    const after = await (await fetch(url)).text();
    expect(after).toContain('Package: origin-late');
    const poolUrl = dl(PUB, `deb/debian/${late.filename}`);
    expect((await fetch(poolUrl)).status).toBe(200);

    expect(await api.deletePackage(ORG, PUB, late.id)).toBeLessThan(300);
    // The deletion is published asynchronously: the index drops the package in that switch, while its
    // file stays downloadable for the retention period (docs/release-lifecycle.md), so machines and
    // caches still holding the previous index do not fail mid-install.
    const until = Date.now() + 30_000;
    while ((await (await fetch(url)).text()).includes('Package: origin-late') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(await (await fetch(url)).text()).not.toContain('Package: origin-late');
    expect((await fetch(poolUrl)).status).toBe(200);
  });
});

describe('private repository files', () => {
  it('challenge without credentials and serve a read token with Content-Length and private caching', async () => {
    const url = dl(PRIV, 'deb/debian/dists/bookworm/InRelease');
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="pallet repository"/);
    // An unknown repository looks the same.
    expect((await fetch(dl('no-such-repo', 'deb/debian/dists/bookworm/InRelease'))).status).toBe(401);
    const { token } = await api.createToken(ORG, { name: 'reader', scopes: ['repo:read'] });
    await expectLength(url, basic(token));
    const deb = await fetch(dl(PRIV, `deb/debian/${pool[PRIV]!.small}`), { headers: basic(token) });
    expect(deb.status).toBe(200);
    expect(deb.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const foreign = await other.createToken('other-org', { name: 'foreign', scopes: ['repo:read'] });
    expect((await fetch(url, { headers: basic(foreign.token) })).status).toBe(404);
    expect((await fetch(url, { headers: basic('plt_notavalidtokennotavalidtoken1234') })).status).toBe(401);
  });

  it('refuses a revoked token on the very next request, though it was cached', async () => {
    const url = dl(PRIV, `deb/debian/${pool[PRIV]!.small}`);
    const t = await api.createToken(ORG, { name: 'soon revoked', scopes: ['repo:read'] });
    for (let i = 0; i < 5; i++) expect((await fetch(url, { headers: basic(t.token) })).status).toBe(200);
    expect(await api.revokeToken(ORG, t.id)).toBe(204);
    const after = await fetch(url, { headers: basic(t.token) });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('turns public files private the moment the repository does', async () => {
    const url = dl(PUB, 'deb/debian/dists/bookworm/InRelease');
    const setVisibility = (visibility: string) =>
      fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/repos/${PUB}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ visibility }),
      });
    expect((await fetch(url)).status).toBe(200);
    expect((await setVisibility('private')).status).toBe(200);
    expect((await fetch(url)).status).toBe(401);
    expect((await setVisibility('public')).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('the edge auth hook', () => {
  const ask = (uri: string, headers: Record<string, string> = {}) =>
    fetch(`${pallet.baseUrl}/_pallet/edge-auth`, { headers: { 'x-original-uri': uri, ...headers } });

  it('allows public files with their cache policy and storage key, 404 for missing ones', async () => {
    const res = await ask(`/dl/${ORG}/${PUB}/deb/debian/${pool[PUB]!.small}`);
    expect(res.status).toBe(204);
    expect(res.headers.get('x-pallet-visibility')).toBe('public');
    expect(res.headers.get('x-pallet-cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-pallet-storage-key')).toMatch(/^[a-z0-9/._-]+$/);
    expect((await ask(`/dl/${ORG}/${PUB}/deb/debian/pool/main/n/nope/nope_1_all.deb`)).status).toBe(404);
    expect((await ask(`/dl/${ORG}/${PUB}/%ZZ`)).status).toBe(400);
    expect((await ask('/api/v1/health')).status).toBe(400);
  });

  it('challenges private files without credentials, allows a read token, 404 for another org', async () => {
    const uri = `/dl/${ORG}/${PRIV}/deb/debian/dists/bookworm/InRelease`;
    const anonymous = await ask(uri);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="pallet repository"/);
    const { token } = await api.createToken(ORG, { name: 'edge reader', scopes: ['repo:read'] });
    const ok = await ask(uri, basic(token));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('x-pallet-visibility')).toBe('private');
    expect(ok.headers.get('x-pallet-cache-control')).toBe('private, max-age=60, must-revalidate');
    const foreign = await other.createToken('other-org', { name: 'edge foreign', scopes: ['repo:read'] });
    expect((await ask(uri, basic(foreign.token))).status).toBe(404);
  });
});
