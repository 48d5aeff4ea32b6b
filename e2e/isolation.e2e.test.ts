// The generated isolation matrix (issue 4): every route file under apps/web/src/app/api/v1 and every
// /dl/ path kind, asked by org B's token and session (404), a token without the needed scope (403), a
// token limited to another repository (404), an expired, a revoked and no token (401). The test fails
// when a route file or method exists that the matrix does not list. Rejected requests change nothing,
// and no answer carries a secret. Then the audit log is checked for every kind of change.
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteOperations } from '../test/route-inventory';
import { buildDeb } from './support/deb-builder';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const API_DIR = join(import.meta.dirname, '..', 'apps', 'web', 'src', 'app', 'api', 'v1');
const A = 'acme';
const B = 'globex';
const REPO = 'secret';
const OTHER_REPO = 'other-repo';
const PASSWORD_A = 'acme owner password 1';
const PASSWORD_B = 'globex owner password 1';

type Need = 'public' | 'read' | 'write' | 'admin' | 'member-list' | 'self' | 'user';
type Body = { json: unknown } | { upload: true };

interface Fixture {
  pkgId: string;
  publicationId: string;
  readTokenId: string;
  clientCertificateId: string;
  ownerUserId: string;
  invitationId: string;
  invitationSecret: string;
  debFile: string;
  debPool: string;
  debByHash: string;
  rpmPackage: string;
  oidcTrustId: string;
  webhookId: string;
  deliveryId: string;
}

interface Endpoint {
  route: string;
  method: string;
  need: Need;
  /** repository-scoped: a token limited to another repository gets 404 */
  repo?: boolean;
  path: (f: Fixture) => string;
  body?: (f: Fixture) => Body;
}

// Every endpoint of api-v1 and issue 4. A new route file or method fails the test until it is listed here.
const ENDPOINTS: Endpoint[] = [
  { route: 'health', method: 'GET', need: 'public', path: () => '/health' },
  { route: 'docs', method: 'GET', need: 'public', path: () => '/docs' },
  { route: 'log/checkpoint', method: 'GET', need: 'public', path: () => '/log/checkpoint' },
  { route: 'log/key', method: 'GET', need: 'public', path: () => '/log/key' },
  { route: 'log/proof', method: 'GET', need: 'public', path: () => `/log/proof?sha256=${'0'.repeat(64)}` },
  { route: 'log/consistency', method: 'GET', need: 'public', path: () => '/log/consistency?from=0&to=0' },
  { route: 'log/entries', method: 'GET', need: 'public', path: () => '/log/entries?start=0&end=1' },
  { route: 'log/witness', method: 'GET', need: 'public', path: () => '/log/witness' },
  { route: 'log/witness', method: 'POST', need: 'public', path: () => '/log/witness' },
  {
    route: 'log/witness/checkpoint',
    method: 'GET',
    need: 'public',
    path: () => '/log/witness/checkpoint?origin=x',
  },
  { route: 'signup', method: 'POST', need: 'public', path: () => '/signup' },
  { route: 'oidc/token', method: 'POST', need: 'public', path: () => '/oidc/token' },
  { route: 'me', method: 'GET', need: 'self', path: () => '/me' },
  {
    route: 'orgs',
    method: 'POST',
    need: 'user',
    path: () => '/orgs',
    body: () => ({ json: { slug: 'matrix-org' } }),
  },
  {
    route: 'invitations/accept',
    method: 'POST',
    need: 'user',
    path: () => '/invitations/accept',
    body: (f) => ({ json: { token: f.invitationSecret } }),
  },
  { route: 'orgs/[org]', method: 'GET', need: 'read', path: () => `/orgs/${A}` },
  { route: 'orgs/[org]/audit', method: 'GET', need: 'admin', path: () => `/orgs/${A}/audit` },
  { route: 'orgs/[org]/members', method: 'GET', need: 'member-list', path: () => `/orgs/${A}/members` },
  {
    route: 'orgs/[org]/members/[userId]',
    method: 'PATCH',
    need: 'admin',
    path: (f) => `/orgs/${A}/members/${f.ownerUserId}`,
    body: () => ({ json: { role: 'viewer' } }),
  },
  {
    route: 'orgs/[org]/members/[userId]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/members/${f.ownerUserId}`,
  },
  { route: 'orgs/[org]/invitations', method: 'GET', need: 'admin', path: () => `/orgs/${A}/invitations` },
  {
    route: 'orgs/[org]/invitations',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/invitations`,
    body: () => ({ json: { role: 'viewer' } }),
  },
  {
    route: 'orgs/[org]/invitations/[id]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/invitations/${f.invitationId}`,
  },
  { route: 'orgs/[org]/tokens', method: 'GET', need: 'admin', path: () => `/orgs/${A}/tokens` },
  {
    route: 'orgs/[org]/tokens',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/tokens`,
    body: () => ({ json: { name: 'matrix', scopes: ['repo:read'] } }),
  },
  {
    route: 'orgs/[org]/tokens/[id]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/tokens/${f.readTokenId}`,
  },
  { route: 'orgs/[org]/oidc-trusts', method: 'GET', need: 'admin', path: () => `/orgs/${A}/oidc-trusts` },
  {
    route: 'orgs/[org]/oidc-trusts',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/oidc-trusts`,
    body: () => ({
      json: {
        issuer: 'https://token.actions.githubusercontent.com',
        audience: 'https://pallet.test',
        subject: 'repo:acme/*:ref:refs/heads/main',
        scopes: ['repo:write'],
      },
    }),
  },
  {
    route: 'orgs/[org]/oidc-trusts/[id]',
    method: 'GET',
    need: 'admin',
    path: (f) => `/orgs/${A}/oidc-trusts/${f.oidcTrustId}`,
  },
  {
    route: 'orgs/[org]/oidc-trusts/[id]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/oidc-trusts/${f.oidcTrustId}`,
  },
  { route: 'orgs/[org]/client-cas', method: 'GET', need: 'admin', path: () => `/orgs/${A}/client-cas` },
  {
    route: 'orgs/[org]/client-cas',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/client-cas`,
    body: () => ({ json: { name: 'matrix CA' } }),
  },
  {
    route: 'orgs/[org]/client-certificates',
    method: 'GET',
    need: 'admin',
    path: () => `/orgs/${A}/client-certificates`,
  },
  {
    route: 'orgs/[org]/client-certificates',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/client-certificates`,
    body: () => ({ json: { name: 'matrix machine' } }),
  },
  {
    route: 'orgs/[org]/client-certificates/[id]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/client-certificates/${f.clientCertificateId}`,
  },
  { route: 'orgs/[org]/repos', method: 'GET', need: 'read', path: () => `/orgs/${A}/repos` },
  {
    route: 'orgs/[org]/repos',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/repos`,
    body: () => ({ json: { name: 'matrix-repo', visibility: 'private' } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}`,
  },
  {
    route: 'orgs/[org]/repos/[repo]',
    method: 'PATCH',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}`,
    body: () => ({ json: { description: 'changed by the matrix' } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]',
    method: 'DELETE',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys/rotate',
    method: 'POST',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys/rotate`,
    body: () => ({ json: {} }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys/import',
    method: 'POST',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys/import`,
    body: () => ({ json: { armoredPrivateKey: 'not a key' } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys/[fingerprint]',
    method: 'PATCH',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys/${'0'.repeat(40)}`,
    body: () => ({ json: { expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys/[fingerprint]/retire',
    method: 'POST',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys/${'0'.repeat(40)}/retire`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/keys/[fingerprint]/revoke',
    method: 'POST',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/keys/${'0'.repeat(40)}/revoke`,
    body: () => ({ json: { reason: 'isolation matrix' } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/setup',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/setup?distribution=debian/bookworm`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/publications',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/publications`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/publications/[id]/sbom',
    method: 'GET',
    need: 'read',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/publications/${f.publicationId}/sbom?format=spdx`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/distributions',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/distributions`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/distributions/[distro]/[release]',
    method: 'PATCH',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/distributions/debian/bookworm`,
    body: () => ({ json: { frozen: true } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/distributions/[distro]/[release]/retention-preview',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/distributions/debian/bookworm/retention-preview?keepVersions=1`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/publications/[id]/restore',
    method: 'POST',
    need: 'write',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/publications/${f.publicationId}/restore`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/publications/[id]/restore-preview',
    method: 'GET',
    need: 'read',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/publications/${f.publicationId}/restore-preview`,
  },
  ...(['copy', 'move'] as const).flatMap((mode): Endpoint[] => [
    {
      route: `orgs/[org]/repos/[repo]/packages/[id]/${mode}`,
      method: 'POST',
      need: 'write',
      repo: true,
      path: (f) => `/orgs/${A}/repos/${REPO}/packages/${f.pkgId}/${mode}`,
      body: () => ({ json: { distribution: 'debian/trixie' } }),
    },
    {
      route: `orgs/[org]/repos/[repo]/packages/${mode}`,
      method: 'POST',
      need: 'write',
      repo: true,
      path: () => `/orgs/${A}/repos/${REPO}/packages/${mode}`,
      body: () => ({ json: { query: { distribution: 'debian/bookworm' }, distribution: 'debian/trixie' } }),
    },
  ]),
  {
    route: 'orgs/[org]/repos/[repo]/packages/[id]/yank',
    method: 'POST',
    need: 'write',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/packages/${f.pkgId}/yank`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/packages',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/packages`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/packages',
    method: 'POST',
    need: 'write',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/packages`,
    body: () => ({ upload: true }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/packages/[id]',
    method: 'GET',
    need: 'read',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/packages/${f.pkgId}`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/packages/[id]',
    method: 'DELETE',
    need: 'write',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/packages/${f.pkgId}`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/packages/[id]/release',
    method: 'POST',
    need: 'admin',
    repo: true,
    path: (f) => `/orgs/${A}/repos/${REPO}/packages/${f.pkgId}/release`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/vulnerabilities',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/vulnerabilities`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/policies',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/policies`,
  },
  {
    route: 'orgs/[org]/repos/[repo]/policies',
    method: 'PUT',
    need: 'admin',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/policies`,
    body: () => ({ json: { rules: [{ kind: 'name', pattern: 'matrix-*', action: 'refuse' }] } }),
  },
  {
    route: 'orgs/[org]/repos/[repo]/stats',
    method: 'GET',
    need: 'read',
    repo: true,
    path: () => `/orgs/${A}/repos/${REPO}/stats?group_by=version`,
  },
  {
    route: 'orgs/[org]/tokens/[id]/access',
    method: 'GET',
    need: 'admin',
    path: (f) => `/orgs/${A}/tokens/${f.readTokenId}/access`,
  },
  { route: 'orgs/[org]/webhooks', method: 'GET', need: 'admin', path: () => `/orgs/${A}/webhooks` },
  {
    route: 'orgs/[org]/webhooks',
    method: 'POST',
    need: 'admin',
    path: () => `/orgs/${A}/webhooks`,
    body: () => ({ json: { url: 'https://hooks.example.test/matrix', events: ['package.deleted'] } }),
  },
  {
    route: 'orgs/[org]/webhooks/[id]',
    method: 'GET',
    need: 'admin',
    path: (f) => `/orgs/${A}/webhooks/${f.webhookId}`,
  },
  {
    route: 'orgs/[org]/webhooks/[id]',
    method: 'DELETE',
    need: 'admin',
    path: (f) => `/orgs/${A}/webhooks/${f.webhookId}`,
  },
  {
    route: 'orgs/[org]/webhooks/[id]/deliveries',
    method: 'GET',
    need: 'admin',
    path: (f) => `/orgs/${A}/webhooks/${f.webhookId}/deliveries`,
  },
  {
    route: 'orgs/[org]/webhooks/[id]/deliveries/[deliveryId]/redeliver',
    method: 'POST',
    need: 'admin',
    path: (f) => `/orgs/${A}/webhooks/${f.webhookId}/deliveries/${f.deliveryId}/redeliver`,
  },
];

const DL_KINDS: { kind: string; path: (f: Fixture) => string }[] = [
  { kind: 'gpg.asc', path: () => 'gpg.asc' },
  { kind: 'gpg.gpg', path: () => 'gpg.gpg' },
  { kind: 'deb InRelease', path: () => 'deb/debian/dists/bookworm/InRelease' },
  { kind: 'deb by-hash', path: (f) => `deb/debian/dists/bookworm/${f.debByHash}` },
  { kind: 'deb pool file', path: (f) => `deb/debian/${f.debPool}` },
  { kind: 'rpm repodata', path: () => 'rpm/el/9/repodata/repomd.xml' },
  { kind: 'rpm package', path: (f) => `rpm/el/9/${f.rpmPackage}` },
];

/** The route files and the methods they export, read from the source tree. */
function discoverRoutes(): string[] {
  return apiRouteOperations(API_DIR)
    .map(({ method, route }) => `${method} ${route}`)
    .sort();
}

let pallet: RunningPallet;
let work: string;
let db: pg.Client;
const f = {} as Fixture;
const secrets: string[] = [PASSWORD_A, PASSWORD_B];
const tokens = {} as Record<
  'adminA' | 'readA' | 'writeA' | 'limitedA' | 'expiredA' | 'revokedA' | 'adminB',
  string
>;
let sessionA: string;
let sessionB: string;
const bodies: string[] = [];
let ipCounter = 0;
let auditBefore = 0;

type Cred = { bearer: string } | { basic: string } | { cookie: string } | null;

async function call(method: string, url: string, cred: Cred, body?: Body): Promise<Response> {
  ipCounter++;
  const headers: Record<string, string> = {
    // Each matrix request from its own address, so the failed-token limit per IP never interferes.
    'x-forwarded-for': `10.77.${ipCounter >> 8}.${ipCounter & 255}`,
  };
  if (cred && 'bearer' in cred) headers.authorization = `Bearer ${cred.bearer}`;
  if (cred && 'basic' in cred)
    headers.authorization = `Basic ${Buffer.from(`u:${cred.basic}`).toString('base64')}`;
  if (cred && 'cookie' in cred) {
    headers.cookie = cred.cookie;
    headers.origin = pallet.baseUrl;
  }
  let payload: RequestInit['body'];
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body && 'upload' in body) {
    const form = new FormData();
    form.set('distribution', 'debian/bookworm');
    form.set('file', await openAsBlob(f.debFile), 'matrix.deb');
    payload = form;
  }
  const res = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  bodies.push(text);
  return new Response(text || null, { status: res.status, headers: res.headers });
}

async function auditCount(org: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditEvent" e JOIN "Org" o ON o.id = e."orgId" WHERE o.slug = $1`,
    [org],
  );
  return Number(r.rows[0]!.n);
}

beforeAll(async () => {
  retryStaleConnections();
  // As if behind one proxy, so that each matrix request can come from its own address (X-Forwarded-For).
  pallet = await startPallet('isolation', { PALLET_TRUST_PROXY: '1' });
  work = mkdtempSync(join(tmpdir(), 'pallet-isolation-e2e-'));
  db = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await db.connect();
  const anon = new PalletClient(pallet.baseUrl);
  const a = await anon.signup('owner@acme.test', PASSWORD_A, A);
  const b = await anon.signup('owner@globex.test', PASSWORD_B, B);
  tokens.adminA = a.token;
  tokens.adminB = b.token;
  f.ownerUserId = a.user.id;
  const api = anon.withToken(a.token);
  await api.createRepository(A, { name: REPO, visibility: 'private', keyAlgorithm: 'ed25519' });
  await api.createRepository(A, { name: OTHER_REPO, visibility: 'private', keyAlgorithm: 'ed25519' });
  const read = await api.createToken(A, { name: 'read', scopes: ['repo:read'] });
  tokens.readA = read.token;
  f.readTokenId = read.id;
  tokens.writeA = (await api.createToken(A, { name: 'write', scopes: ['repo:write'] })).token;
  tokens.limitedA = (
    await api.createToken(A, { name: 'limited', scopes: ['repo:write'], repos: [OTHER_REPO] })
  ).token;
  const expired = await api.createToken(A, { name: 'expired', scopes: ['org:admin'] });
  tokens.expiredA = expired.token;
  await db.query(`UPDATE "ApiToken" SET "expiresAt" = now() - interval '1 hour' WHERE id = $1`, [expired.id]);
  const revoked = await api.createToken(A, { name: 'revoked', scopes: ['org:admin'] });
  tokens.revokedA = revoked.token;
  expect(await api.revokeToken(A, revoked.id)).toBe(204);
  const inv = (
    await api.request<{ id: string; token: string }>('POST', `/orgs/${A}/invitations`, {
      email: 'someone@acme.test',
      role: 'publisher',
    })
  ).data;
  f.invitationId = inv.id;
  f.invitationSecret = inv.token;
  f.oidcTrustId = (
    await api.request<{ id: string }>('POST', `/orgs/${A}/oidc-trusts`, {
      issuer: 'https://token.actions.githubusercontent.com',
      audience: 'https://pallet.test',
      subject: 'repo:acme/app:ref:refs/heads/main',
      scopes: ['repo:write'],
    })
  ).data.id;
  f.clientCertificateId = (
    await api.request<{ id: string }>('POST', `/orgs/${A}/client-certificates`, { name: 'fixture machine' })
  ).data.id;
  secrets.push(...Object.values(tokens), inv.token);

  // Before the uploads, so that their publication records deliveries (the worker cannot reach the URL).
  const hook = (
    await api.request<{ id: string; secret: string }>('POST', `/orgs/${A}/webhooks`, {
      url: 'https://hooks.example.test/pallet',
      events: ['package.published'],
    })
  ).data;
  f.webhookId = hook.id;
  secrets.push(hook.secret);

  f.debFile = buildDeb(work, { name: 'matrix-hello', version: '1.0-1' });
  const deb = await api.uploadPackage(A, REPO, f.debFile, { distribution: 'debian/bookworm' });
  const rpmFile = buildRpm(work, { name: 'matrix-rpm', version: '1.0', release: '1', arch: 'noarch' });
  const rpm = await api.uploadPackage(A, REPO, rpmFile, { distribution: 'el/9' });
  f.pkgId = deb.data.id;
  const debPkg = await api.waitForPackage(A, REPO, deb.data.id, 60_000);
  const rpmPkg = await api.waitForPackage(A, REPO, rpm.data.id, 60_000);
  expect(debPkg.status, debPkg.error).toBe('published');
  expect(rpmPkg.status, rpmPkg.error).toBe('published');
  f.debPool = debPkg.filename!;
  f.rpmPackage = rpmPkg.filename!;
  const byHash = await db.query<{ path: string }>(
    `SELECT f.path FROM "PublicationFile" f JOIN "Distribution" d ON d."currentPublicationId" = f."publicationId"
      WHERE d.name = 'debian/bookworm' AND f.path LIKE '%/by-hash/%' ORDER BY f.path LIMIT 1`,
  );
  f.debByHash = byHash.rows[0]!.path.replace(/^dists\/bookworm\//, '');
  const current = await db.query<{ id: string }>(
    `SELECT "currentPublicationId" AS id FROM "Distribution" WHERE name = 'debian/bookworm'`,
  );
  f.publicationId = current.rows[0]!.id;
  const delivery = await db.query<{ id: string }>(
    `SELECT id FROM "WebhookDelivery" WHERE "webhookId" = $1 LIMIT 1`,
    [f.webhookId],
  );
  f.deliveryId = delivery.rows[0]!.id;

  const signedInA = await signInWithPassword(pallet.baseUrl, 'owner@acme.test', PASSWORD_A);
  const signedInB = await signInWithPassword(pallet.baseUrl, 'owner@globex.test', PASSWORD_B);
  expect(signedInA.cookie, JSON.stringify(signedInA.body)).toBeTruthy();
  expect(signedInB.cookie, JSON.stringify(signedInB.body)).toBeTruthy();
  sessionA = signedInA.cookie!;
  sessionB = signedInB.cookie!;
  auditBefore = await auditCount(A);
}, 180_000);

afterAll(async () => {
  await db?.end();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('isolation matrix', () => {
  it('lists every route file and method under api/v1', () => {
    const listed = ENDPOINTS.map((e) => `${e.method} ${e.route}`).sort();
    expect(discoverRoutes()).toEqual(listed);
  });

  for (const e of ENDPOINTS) {
    if (e.need === 'public') continue;
    const api = (path: string) => `${pallet.baseUrl}/api/v1${path}`;
    const send = (cred: Cred) => call(e.method, api(e.path(f)), cred, e.body?.(f));
    describe(`${e.method} ${e.route}`, () => {
      it('answers 401 without credentials, with an expired and with a revoked token', async () => {
        for (const cred of [null, { bearer: tokens.expiredA }, { bearer: tokens.revokedA }]) {
          const res = await send(cred);
          expect(res.status, `${JSON.stringify(cred)} ${await res.clone().text()}`).toBe(401);
        }
      });

      if (e.need === 'self') {
        it("tells org B's token only about org B", async () => {
          const res = await send({ bearer: tokens.adminB });
          expect(res.status).toBe(200);
          expect(await res.text()).not.toContain(A);
        });
        return;
      }

      if (e.need === 'user') {
        it('refuses tokens with 403: only a signed-in user may do this', async () => {
          const res = await send({ bearer: tokens.adminA });
          expect(res.status).toBe(403);
        });
        if (e.route === 'invitations/accept') {
          it("answers 404 to org B's user for org A's invitation bound to someone else", async () => {
            expect((await send({ cookie: sessionB })).status).toBe(404);
          });
        }
        return;
      }

      it("answers 404 to org B's token and org B's session", async () => {
        const byToken = await send({ bearer: tokens.adminB });
        expect(byToken.status, await byToken.clone().text()).toBe(404);
        const bySession = await send({ cookie: sessionB });
        expect(bySession.status, await bySession.clone().text()).toBe(404);
      });

      if (e.repo) {
        it('answers 404 to a token limited to another repository', async () => {
          expect((await send({ bearer: tokens.limitedA })).status).toBe(404);
        });
      }

      if (e.need !== 'read') {
        it('answers 403 to a token without the needed scope', async () => {
          // Tokens are created in beforeAll, so pick the weaker one when the test runs.
          const weaker = e.need === 'admin' ? tokens.writeA : tokens.readA;
          const res = await send({ bearer: weaker });
          expect(res.status, await res.clone().text()).toBe(403);
        });
      }
      if (e.method === 'GET') {
        it("answers 200 to org A's own credentials", async () => {
          const res = await send({ bearer: e.need === 'read' ? tokens.readA : tokens.adminA });
          expect(res.status, await res.clone().text()).toBe(200);
          expect((await send({ cookie: sessionA })).status).toBe(200);
        });
      }
    });
  }

  describe('/dl/ path kinds of a private repository', () => {
    for (const d of DL_KINDS) {
      it(`${d.kind}: 401 anonymous/expired/revoked, 404 for org B and other-repo tokens, 200 with a read token`, async () => {
        const url = `${pallet.baseUrl}/dl/${A}/${REPO}/${d.path(f)}`;
        const anonymous = await call('GET', url, null);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
        for (const t of [tokens.expiredA, tokens.revokedA])
          expect((await call('GET', url, { basic: t })).status).toBe(401);
        for (const t of [tokens.adminB, tokens.limitedA])
          expect((await call('GET', url, { basic: t })).status).toBe(404);
        expect((await call('GET', url, { basic: tokens.readA })).status).toBe(200);
        // A dashboard session does not open repository files: package clients use tokens.
        expect((await call('GET', url, { cookie: sessionA })).status).toBe(401);
      });
    }
  });

  it('changed nothing in org A while refusing, and no answer carried a secret', async () => {
    expect(await auditCount(A)).toBe(auditBefore);
    expect(await db.query(`SELECT 1 FROM "Repository" WHERE slug = 'matrix-repo'`)).toMatchObject({
      rowCount: 0,
    });
    expect(await db.query(`SELECT 1 FROM "Org" WHERE slug = 'matrix-org'`)).toMatchObject({ rowCount: 0 });
    expect(await db.query(`SELECT 1 FROM "ApiToken" WHERE name = 'matrix'`)).toMatchObject({ rowCount: 0 });
    expect(await db.query(`SELECT 1 FROM "Webhook" WHERE url LIKE '%/matrix'`)).toMatchObject({
      rowCount: 0,
    });
    expect(await db.query(`SELECT 1 FROM "Webhook" WHERE id = $1`, [f.webhookId])).toMatchObject({
      rowCount: 1,
    });
    const pkg = await db.query<{ status: string }>(`SELECT status FROM "Package" WHERE id = $1`, [f.pkgId]);
    expect(pkg.rows[0]?.status).toBe('PUBLISHED');
    const all = bodies.join('\n');
    for (const s of secrets) expect(all.includes(s), 'a secret appeared in an answer').toBe(false);
  });
});

describe('session cookies and CSRF', () => {
  it('refuses a cookie-authenticated change without a matching Origin, and accepts it from the app', async () => {
    const url = `${pallet.baseUrl}/api/v1/orgs/${A}/tokens`;
    const body = JSON.stringify({ name: 'from the dashboard', scopes: ['repo:read'] });
    const base = { 'content-type': 'application/json', cookie: sessionA };
    const noOrigin = await fetch(url, { method: 'POST', headers: base, body });
    expect(noOrigin.status).toBe(403);
    expect(((await noOrigin.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    const evil = await fetch(url, {
      method: 'POST',
      headers: { ...base, origin: 'https://evil.example' },
      body,
    });
    expect(evil.status).toBe(403);
    const ok = await fetch(url, { method: 'POST', headers: { ...base, origin: pallet.baseUrl }, body });
    expect(ok.status).toBe(201);
    secrets.push(((await ok.json()) as { token: string }).token);
  });

  it('answers /me with the user and their orgs with roles', async () => {
    const res = await fetch(`${pallet.baseUrl}/api/v1/me`, { headers: { cookie: sessionA } });
    expect(await res.json()).toMatchObject({
      user: { email: 'owner@acme.test' },
      orgs: [{ slug: A, role: 'owner' }],
    });
  });
});

describe('brute-force limits over HTTP', () => {
  it('answers 429 with Retry-After to an email+address pair after repeated wrong passwords, not to the owner elsewhere', async () => {
    const headers = { 'x-forwarded-for': '192.0.2.10' };
    let last = await signInWithPassword(pallet.baseUrl, 'owner@globex.test', 'wrong password', headers);
    for (let i = 0; i < 10 && last.status !== 429; i++) {
      expect(last.status).toBe(401);
      last = await signInWithPassword(pallet.baseUrl, 'owner@globex.test', `wrong password ${i}`, headers);
    }
    expect(last.status).toBe(429);
    expect(Number(last.retryAfter)).toBeGreaterThan(0);
    const owner = await signInWithPassword(pallet.baseUrl, 'owner@globex.test', PASSWORD_B, {
      'x-forwarded-for': '192.0.2.11',
    });
    expect(owner.status).toBe(200);
  });

  it('answers 429 with Retry-After to an address that presents too many bad tokens, yet serves its valid ones', async () => {
    const headers = { 'x-forwarded-for': '192.0.2.20', authorization: `Bearer ${tokens.revokedA}` };
    let res: Response | undefined;
    for (let i = 0; i < 150; i++) {
      res = await fetch(`${pallet.baseUrl}/api/v1/orgs/${A}`, { headers });
      if (res.status === 429) break;
      expect(res.status).toBe(401);
    }
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
    const good = await fetch(`${pallet.baseUrl}/api/v1/orgs/${A}`, {
      headers: { ...headers, authorization: `Bearer ${tokens.adminA}` },
    });
    expect(good.status).toBe(200);
  });
});

describe('audit log', () => {
  it('records each kind of change with actor, target, IP and time', async () => {
    const api = new PalletClient(pallet.baseUrl, tokens.adminA);
    await api.request('PATCH', `/orgs/${A}/repos/${OTHER_REPO}`, { description: 'audited' });
    expect(await api.deletePackage(A, REPO, f.pkgId)).toBe(202);
    await api.request('DELETE', `/orgs/${A}/repos/${OTHER_REPO}`);
    const cookieHeaders = { cookie: sessionA, origin: pallet.baseUrl, 'content-type': 'application/json' };
    const member = await fetch(`${pallet.baseUrl}/api/v1/orgs/${A}/invitations`, {
      method: 'POST',
      headers: cookieHeaders,
      body: JSON.stringify({ role: 'viewer' }),
    });
    expect(member.status).toBe(201);
    const until = Date.now() + 30_000;
    let actions = new Set<string>();
    let items: { at: string; actor: string; action: string; target: string; ip: string | null }[] = [];
    while (Date.now() < until) {
      items = (await api.request<{ items: typeof items }>('GET', `/orgs/${A}/audit?limit=500`)).data.items;
      actions = new Set(items.map((i) => i.action));
      if (
        actions.has('publication.create') &&
        items.filter((i) => i.action === 'publication.create').length >= 3
      )
        break;
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const action of [
      'user.signup',
      'user.signin',
      'org.create',
      'repository.create',
      'repository.update',
      'repository.delete',
      'signing_key.create',
      'token.create',
      'token.revoke',
      'oidc_trust.create',
      'invitation.create',
      'package.upload',
      'package.delete',
      'publication.create',
    ]) {
      expect(actions, action).toContain(action);
    }
    for (const item of items) {
      expect(item.actor).toBeTruthy();
      expect(item.target).toBeTruthy();
      expect(Number.isNaN(Date.parse(item.at))).toBe(false);
    }
    const signin = items.find((i) => i.action === 'user.signin');
    expect(signin).toMatchObject({ actor: 'owner@acme.test' });
    expect(signin?.ip).toBeTruthy();
    expect(JSON.stringify(items)).not.toContain(PASSWORD_A);
    for (const s of secrets) expect(JSON.stringify(items).includes(s)).toBe(false);
  });
});
