// CI without stored secrets: a local OIDC issuer (node:http serving discovery and its JWKS, signing ID
// tokens with jose) stands in for GitHub Actions / GitLab CI. A matching token is exchanged for a
// short-lived token limited to the trust's repositories and scopes; a wrong audience, an expired token,
// a non-matching subject or a foreign key get 401; a trust dies with its creator's membership; deleting
// a trust revokes what it minted; and the CLI does the exchange by itself (PALLET_ID_TOKEN and the
// GitHub Actions token request).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, PalletClient } from '@pallet/api-client';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from './support/cli';
import { buildDeb } from './support/deb-builder';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const ORG = 'acme';
const SUBJECT = 'repo:acme/app:ref:refs/heads/main';
const GHA_BEARER = 'gha-request-token-for-tests';

let pallet: RunningPallet;
let issuerServer: Server;
let issuer: string;
let audience: string;
let key: CryptoKey;
let foreignKey: CryptoKey;
let api: PalletClient;
let work: string;
let trustId: string;

async function idToken(
  claims: Record<string, unknown> = {},
  opts: { signWith?: CryptoKey; expiresIn?: string | number; notBefore?: boolean } = {},
): Promise<string> {
  let jwt = new SignJWT({ sub: SUBJECT, aud: audience, repository: 'acme/app', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m');
  if (opts.notBefore !== false) jwt = jwt.setNotBefore('0s');
  return jwt.sign(opts.signWith ?? key);
}

async function exchange(
  token: string,
): Promise<{ status: number; body: { token?: string; expiresAt?: string } }> {
  const res = await fetch(`${pallet.baseUrl}/api/v1/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org: ORG, token }),
  });
  return { status: res.status, body: await res.json() };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const cli = cliCommand();
  const child = spawn(cli.command, [...cli.args, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: work, PALLET_URL: pallet.baseUrl, ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-oidc-'));
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  ({ privateKey: foreignKey } = await generateKeyPair('RS256'));
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (url.pathname === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else if (url.pathname === '/gha-token' && req.headers.authorization === `bearer ${GHA_BEARER}`) {
      // GitHub Actions' ID token request: the audience is the caller's choice.
      void idToken({ aud: url.searchParams.get('audience') }).then((value) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ value }));
      });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;

  pallet = await startPallet('oidc', { PALLET_OIDC_ALLOW_HTTP_ISSUERS: '1' });
  audience = new URL(pallet.baseUrl).origin;
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@oidc.test',
    'correct horse battery',
    ORG,
  );
  api = new PalletClient(pallet.baseUrl, signup.token);
  await api.createRepository(ORG, { name: 'tools', visibility: 'private', keyAlgorithm: 'ed25519' });
  await api.createRepository(ORG, { name: 'other', visibility: 'private', keyAlgorithm: 'ed25519' });
  const trust = await api.request<{ id: string; repos: string[]; createdBy: { email: string } }>(
    'POST',
    `/orgs/${ORG}/oidc-trusts`,
    {
      issuer,
      audience,
      subject: 'repo:acme/*:ref:refs/heads/main',
      scopes: ['repo:write'],
      repos: ['tools'],
    },
  );
  expect(trust.status).toBe(201);
  expect(trust.data).toMatchObject({ repos: ['tools'], createdBy: { email: 'owner@oidc.test' } });
  trustId = trust.data.id;
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  issuerServer?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('OIDC token exchange', () => {
  it('gives a matching subject a token of at most an hour, limited to the trust repositories and scopes', async () => {
    const { status, body } = await exchange(await idToken());
    expect(status).toBe(201);
    expect(body.token).toMatch(/^plt_/);
    const ttl = Date.parse(body.expiresAt!) - Date.now();
    expect(ttl).toBeGreaterThan(50 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
    const ci = new PalletClient(pallet.baseUrl, body.token);
    const deb = buildDeb(work, { name: 'oidc-hello', version: '1.0-1' });
    expect((await ci.uploadPackage(ORG, 'tools', deb, { distribution: 'debian/bookworm' })).status).toBe(202);
    await expect(
      ci.uploadPackage(ORG, 'other', deb, { distribution: 'debian/bookworm' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await expect(ci.request('GET', `/orgs/${ORG}/tokens`)).rejects.toMatchObject({ status: 403 });
    const audit = await api.request<{
      items: { action: string; actor: string; details: Record<string, unknown> }[];
    }>('GET', `/orgs/${ORG}/audit?limit=50`);
    const event = audit.data.items.find((i) => i.action === 'oidc.token_exchange');
    expect(event?.details).toMatchObject({ issuer, subject: SUBJECT, audience });
    expect(JSON.stringify(audit.data)).not.toContain(body.token!);
  });

  it('answers 401 to a wrong audience, an expired token, a non-matching subject and a foreign key', async () => {
    const refused = [
      await idToken({ aud: 'https://elsewhere.test' }),
      await idToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }),
      await idToken({ sub: 'repo:acme/app:ref:refs/heads/feature' }),
      await idToken({ sub: 'repo:acme/app:environment:prod:ref:refs/heads/main' }),
      await idToken({ sub: 'repo:evil/app:ref:refs/heads/main' }),
      await idToken({}, { signWith: foreignKey }),
      await idToken({}, { notBefore: false }),
      'not-a-jwt',
    ];
    for (const token of refused) {
      const { status, body } = await exchange(token);
      expect(status, JSON.stringify(body)).toBe(401);
      expect(body).toMatchObject({ error: { code: 'oidc_token_rejected' } });
    }
  });

  it('refuses a trust with a non-https issuer or the org:admin scope', async () => {
    await expect(
      api.request('POST', `/orgs/${ORG}/oidc-trusts`, {
        issuer: 'ftp://issuer.test',
        audience,
        subject: '*',
        scopes: ['repo:read'],
      }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_issuer' });
    await expect(
      api.request('POST', `/orgs/${ORG}/oidc-trusts`, {
        issuer,
        audience,
        subject: '*',
        scopes: ['org:admin'],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('lets the CLI exchange PALLET_ID_TOKEN or a GitHub Actions ID token by itself', async () => {
    const deb = buildDeb(join(work, 'cli'), { name: 'oidc-cli', version: '1.0-1' });
    const gitlab = await runCli(['push', `${ORG}/tools`, 'debian/bookworm', deb], {
      PALLET_ID_TOKEN: await idToken(),
    });
    expect(gitlab.code, gitlab.out).toBe(0);
    expect(gitlab.out).toContain('published: oidc-cli 1.0-1');
    const deb2 = buildDeb(join(work, 'cli2'), { name: 'oidc-cli', version: '1.1-1' });
    const github = await runCli(['push', `${ORG}/tools`, 'debian/bookworm', deb2], {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/gha-token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: GHA_BEARER,
    });
    expect(github.code, github.out).toBe(0);
    expect(github.out).toContain('published: oidc-cli 1.1-1');
    const wrong = await runCli(['push', `${ORG}/tools`, 'debian/bookworm', deb2], {
      PALLET_ID_TOKEN: await idToken({ sub: 'repo:acme/app:ref:refs/heads/feature' }),
    });
    expect(wrong.code, wrong.out).toBe(2);
  });

  it('stops minting, and kills minted tokens, when the creator leaves; deleting a trust revokes its tokens', async () => {
    // A second admin joins, creates a trust for another subject, and is then removed from the org.
    const other = await new PalletClient(pallet.baseUrl).signup(
      'second@oidc.test',
      'second admin password',
      'second',
    );
    const inv = await api.request<{ token: string }>('POST', `/orgs/${ORG}/invitations`, { role: 'admin' });
    const session = await signInWithPassword(pallet.baseUrl, 'second@oidc.test', 'second admin password');
    const cookie = { cookie: session.cookie!, origin: pallet.baseUrl, 'content-type': 'application/json' };
    const accepted = await fetch(`${pallet.baseUrl}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: cookie,
      body: JSON.stringify({ token: inv.data.token }),
    });
    expect(accepted.status, await accepted.clone().text()).toBeLessThan(300);
    const created = await fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/oidc-trusts`, {
      method: 'POST',
      headers: cookie,
      body: JSON.stringify({ issuer, audience, subject: 'repo:acme/deploy:**', scopes: ['repo:read'] }),
    });
    expect(created.status).toBe(201);
    const deployToken = await idToken({ sub: 'repo:acme/deploy:environment:prod' });
    const minted = await exchange(deployToken);
    expect(minted.status).toBe(201);
    const reader = new PalletClient(pallet.baseUrl, minted.body.token);
    expect((await reader.listPackages(ORG, 'tools')).items.length).toBeGreaterThan(0);

    await api.request('DELETE', `/orgs/${ORG}/members/${other.user.id}`);
    expect((await exchange(deployToken)).status).toBe(401);
    await expect(reader.listPackages(ORG, 'tools')).rejects.toBeInstanceOf(ApiError);

    const ci = new PalletClient(pallet.baseUrl, (await exchange(await idToken())).body.token);
    expect((await ci.listPackages(ORG, 'tools')).total).toBeGreaterThan(0);
    await api.request('DELETE', `/orgs/${ORG}/oidc-trusts/${trustId}`);
    await expect(ci.listPackages(ORG, 'tools')).rejects.toMatchObject({ status: 401 });
    expect((await exchange(await idToken())).status).toBe(401);
  });
});
