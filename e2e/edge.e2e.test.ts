// The shipped nginx edge (deploy/nginx/, as `npm run edge` renders it) in front of an instance: apt
// through it for a public and a private repository, public files answered from its cache, private
// files never handed out from the cache without a check by the origin, revocation within EDGE_AUTH_TTL,
// and the API (uploads included) proxied through it.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEdge } from '../scripts/lib/edge.mjs';
import { createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { startEdgeFor } from './support/edge';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'edgecorp';
const AUTH_TTL_MS = 1000;
let pallet: RunningPallet;
let edge: RunningEdge;
let work: string;
let api: PalletClient;
let readToken: { id: string; token: string };
let publicPool: string;
let privatePool: string;

const basic = (token: string) => `Basic ${Buffer.from(`token:${token}`).toString('base64')}`;
const viaEdge = (url: string) => url.replace(pallet.baseUrl, edge.url);

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body };
}

beforeAll(async () => {
  pallet = await startPallet('edge');
  edge = await startEdgeFor(pallet, { authTtl: `${AUTH_TTL_MS / 1000}s` });
  work = mkdtempSync(join(tmpdir(), 'pallet-edge-e2e-'));
  // Everything, signing up included, goes through the edge: it proxies the whole application.
  const signup = await new PalletClient(edge.url).signup('owner@edgecorp.test', 'edge corp password 1', ORG);
  api = new PalletClient(edge.url, signup.token);
  for (const [name, visibility] of [
    ['pub', 'public'],
    ['priv', 'private'],
  ] as const) {
    await api.createRepository(ORG, { name, visibility });
    const deb = buildDeb(join(work, name), { name: `${name}-hello`, version: '1.0-1' });
    const up = await api.uploadPackage(ORG, name, deb, { distribution: 'debian/bookworm' });
    expect((await api.waitForPackage(ORG, name, up.data.id, 60_000)).status).toBe('published');
    const file = (await api.listPackages(ORG, name)).items[0]!.filename;
    const url = `${edge.url}/dl/${ORG}/${name}/deb/debian/${file}`;
    if (name === 'pub') publicPool = url;
    else privatePool = url;
  }
  readToken = await api.createToken(ORG, { name: 'reader', scopes: ['repo:read'], repos: ['priv'] });
}, 180_000);

afterAll(async () => {
  await edge?.stop();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the shipped edge', () => {
  it('serves a public repository to apt-get, answering repeated requests from its cache', async () => {
    const setup = await api.setup(ORG, 'pub', 'debian/bookworm');
    const env = createAptEnv(join(work, 'apt-public'));
    const key = await get(viaEdge(setup.keyringUrl));
    expect(key.status).toBe(200);
    const keyFile = join(work, 'pub.gpg');
    writeFileSync(keyFile, key.body);
    env.setSources(viaEdge(setup.apt!.sourcesLine).replace(setup.apt!.keyringPath, keyFile));
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
    expect(env.run('apt-get', ['download', 'pub-hello']).code).toBe(0);
    expect(readdirSync(join(env.dir, 'download'))).toEqual(['pub-hello_1.0-1_all.deb']);

    const first = await get(publicPool);
    const again = await get(publicPool);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-pallet-edge-cache')).toBe('HIT');
    expect(again.body.equals(first.body)).toBe(true);
    // The origin's cache policy still reaches clients and any CDN in front of the edge.
    expect(again.headers.get('cache-control')).toContain('immutable');
    const range = await get(publicPool, { range: 'bytes=0-7' });
    expect(range.status).toBe(206);
    expect(range.body.toString()).toBe('!<arch>\n');
    const inRelease = `${edge.url}/dl/${ORG}/pub/deb/debian/dists/bookworm/InRelease`;
    await get(inRelease);
    const cached = await get(inRelease);
    expect(cached.headers.get('x-pallet-edge-cache')).toBe('HIT');
    expect(cached.headers.get('etag')).toBeTruthy();
    const notModified = await fetch(inRelease, { headers: { 'if-none-match': cached.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
  });

  it('serves a private file from its cache only to requests the origin allowed', async () => {
    const allowed = await get(privatePool, { authorization: basic(readToken.token) });
    expect(allowed.status).toBe(200);
    expect(
      (await get(privatePool, { authorization: basic(readToken.token) })).headers.get('x-pallet-edge-cache'),
    ).toBe('HIT');
    // The bytes are in the cache now: without credentials, with a wrong secret, or with another org's
    // token, nothing of them comes out.
    const anonymous = await get(privatePool);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(anonymous.body.includes(allowed.body.subarray(0, 64))).toBe(false);
    const wrong = await get(privatePool, { authorization: basic(`${readToken.token.slice(0, -2)}xx`) });
    expect(wrong.status).toBe(401);
    const other = await new PalletClient(edge.url).signup(
      'owner@other.test',
      'other org password 1',
      'otherorg',
    );
    const foreign = await get(privatePool, { authorization: basic(other.token) });
    expect(foreign.status).toBe(404);
    expect(foreign.body.toString()).toMatch(/"code":"not_found"/);
    const missing = await get(privatePool.replace(/[^/]+$/, 'nothing_1.0_all.deb'), {
      authorization: basic(readToken.token),
    });
    expect(missing.status).toBe(404);
  });

  it('lets apt-get update a private repository through the edge with a read token', async () => {
    const setup = await api.setup(ORG, 'priv', 'debian/bookworm');
    const key = await get(viaEdge(setup.keyringUrl), { authorization: basic(readToken.token) });
    expect(key.status).toBe(200);
    const keyFile = join(work, 'priv.gpg');
    writeFileSync(keyFile, key.body);
    const env = createAptEnv(join(work, 'apt-private'));
    env.setSources(viaEdge(setup.apt!.sourcesLine).replace(setup.apt!.keyringPath, keyFile));
    const refused = env.run('apt-get', ['update']);
    expect(refused.output).toMatch(/401|Unauthorized/);
    env.setAuth(viaEdge(setup.apt!.authConf!).replace('YOUR_READ_TOKEN', readToken.token));
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
    expect(env.run('apt-get', ['download', 'priv-hello']).code).toBe(0);
  });

  it('refuses a revoked token once EDGE_AUTH_TTL has passed, though its answers were cached', async () => {
    const token = await api.createToken(ORG, { name: 'short-lived', scopes: ['repo:read'], repos: ['priv'] });
    expect((await get(privatePool, { authorization: basic(token.token) })).status).toBe(200);
    expect(await api.revokeToken(ORG, token.id)).toBe(204);
    // nginx keeps time in whole seconds: a decision cached for 1 s lives up to 2 s.
    await new Promise((r) => setTimeout(r, AUTH_TTL_MS + 1500));
    const after = await get(privatePool, { authorization: basic(token.token) });
    expect(after.status).toBe(401);
  });
});
