// Download statistics and token access monitoring over HTTP (issue 14): downloads through /dl are
// counted per version and token off the hot path (the stats endpoint sees them after a flush), only
// package files count and HEAD or range continuations do not count again; a read token used from many
// addresses (X-Forwarded-For behind PALLET_TRUST_PROXY=1) is flagged with an audit event and a signed
// token.suspicious webhook, and revoking it stops it at once.
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousA11yProblems } from './support/browser';
import { buildDeb } from './support/deb-builder';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const ORG = 'statsorg';
const REPO = 'fleet';

let pallet: RunningPallet;
let browser: Browser | undefined;
let api: PalletClient;
let adminToken: string;
let work: string;
let receiver: Server;
const hooks: { headers: IncomingMessage['headers']; body: string }[] = [];
let hookSecret: string;
const pool: Record<string, string> = {};
const tokens = {} as Record<'fleet' | 'laptop', { id: string; token: string }>;

function dl(path: string, token: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${pallet.baseUrl}/dl/${ORG}/${REPO}/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, ...init.headers },
  });
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${pallet.baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Stats = { total: number; items: { key: string; downloads: number; name?: string | null }[] };

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    hooks.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  pallet = await startPallet('stats', {
    PALLET_TRUST_PROXY: '1',
    PALLET_STATS_FLUSH_MS: '300',
    PALLET_ACCESS_ALERT_ADDRESSES: '10',
    PALLET_WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  work = mkdtempSync(join(tmpdir(), 'pallet-stats-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@statsorg.test',
    'stats owner password',
    ORG,
  );
  adminToken = signup.token;
  api = new PalletClient(pallet.baseUrl, adminToken);
  await api.createRepository(ORG, { name: REPO, visibility: 'private', keyAlgorithm: 'ed25519' });
  const hook = await api.request<{ secret: string }>('POST', `/orgs/${ORG}/webhooks`, {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
    events: ['token.suspicious'],
  });
  hookSecret = hook.data.secret;
  for (const version of ['1.0-1', '2.0-1']) {
    const up = await api.uploadPackage(ORG, REPO, buildDeb(work, { name: 'agent', version }), {
      distribution: 'debian/bookworm',
    });
    const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
    expect(pkg.status, pkg.error).toBe('published');
    pool[version] = pkg.filename!;
  }
  for (const name of ['fleet', 'laptop'] as const) {
    const t = await api.createToken(ORG, { name, scopes: ['repo:read'] });
    tokens[name] = { id: t.id, token: t.token };
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pallet?.stop();
  receiver?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('download statistics', () => {
  it('reports 20 downloads through /dl per version and per token; HEAD, continuations and indexes do not count', async () => {
    const v1 = `deb/debian/${pool['1.0-1']}`;
    const v2 = `deb/debian/${pool['2.0-1']}`;
    const statuses: number[] = [];
    const fetchAll = async (n: number, path: string, token: string, init = {}) => {
      for (let i = 0; i < n; i++) {
        const res = await dl(path, token, init);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    };
    await fetchAll(11, v1, tokens.fleet.token);
    await fetchAll(1, v1, tokens.fleet.token, { headers: { range: 'bytes=0-99' } });
    await fetchAll(5, v2, tokens.fleet.token);
    await fetchAll(3, v1, tokens.laptop.token);
    expect(statuses.filter((s) => s === 200 || s === 206)).toHaveLength(20);
    // Not downloads: a HEAD, a resumed range, an index file, a revalidation.
    await fetchAll(2, v1, tokens.fleet.token, { method: 'HEAD' });
    await fetchAll(2, v1, tokens.fleet.token, { headers: { range: 'bytes=100-' } });
    await fetchAll(2, 'deb/debian/dists/bookworm/InRelease', tokens.fleet.token);

    const byVersion = await eventually('20 counted downloads', async () => {
      const r = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats?group_by=version`);
      return r.body.total >= 20 ? r.body : undefined;
    });
    // Give a late (wrong) count the chance to arrive before asserting the exact numbers.
    await new Promise((r) => setTimeout(r, 1000));
    const again = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats?group_by=version`);
    expect(again.body).toMatchObject({ total: 20 });
    expect(byVersion.items).toEqual([
      expect.objectContaining({ key: 'agent 1.0-1', version: '1.0-1', downloads: 15 }),
      expect.objectContaining({ key: 'agent 2.0-1', version: '2.0-1', downloads: 5 }),
    ]);
    const byToken = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats?group_by=token`);
    expect(byToken.body.items).toEqual([
      { key: tokens.fleet.id, name: 'fleet', downloads: 17 },
      { key: tokens.laptop.id, name: 'laptop', downloads: 3 },
    ]);
    const byPackage = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats`);
    expect(byPackage.body.items).toEqual([{ key: 'agent', downloads: 20 }]);
    const byDay = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats?group_by=day`);
    expect(byDay.body.items).toEqual([{ key: new Date().toISOString().slice(0, 10), downloads: 20 }]);
    const dist = await get<Stats>(`/orgs/${ORG}/repos/${REPO}/stats?group_by=distribution`);
    expect(dist.body.items).toEqual([{ key: 'debian/bookworm', downloads: 20 }]);
  });

  it('answers 400 to a bad grouping or an empty range, and 403 to a read token asking per token', async () => {
    for (const q of ['group_by=size', 'from=2026-12-05&to=2026-12-01', 'from=yesterday']) {
      const r = await get<{ error: { code: string } }>(`/orgs/${ORG}/repos/${REPO}/stats?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
    const res = await fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/repos/${REPO}/stats?group_by=token`, {
      headers: { authorization: `Bearer ${tokens.laptop.token}` },
    });
    expect(res.status).toBe(403);
  });
});

describe('token access monitoring', () => {
  it('logs each token’s addresses and files, flags one used from many new addresses, and a revoke stops it', async () => {
    for (let i = 1; i <= 12; i++) {
      const res = await dl(`deb/debian/${pool['1.0-1']}`, tokens.laptop.token, {
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    type Access = {
      token: { suspiciousAt: string | null; suspiciousReason: string | null };
      addresses: number;
      items: { ip: string; requests: number; files: string[] }[];
    };
    const flagged = await eventually('the alert', async () => {
      const r = await get<Access>(`/orgs/${ORG}/tokens/${tokens.laptop.id}/access`);
      return r.body.token.suspiciousAt ? r.body : undefined;
    });
    // Flagged as soon as a flush shows 10 or more addresses (the threshold set above), maybe before all 13.
    const seen = Number(/used from (\d+) addresses/.exec(flagged.token.suspiciousReason ?? '')?.[1]);
    expect(seen).toBeGreaterThanOrEqual(10);
    const logged = await eventually('all 13 addresses in the log', async () => {
      const r = await get<Access>(`/orgs/${ORG}/tokens/${tokens.laptop.id}/access`);
      return r.body.addresses === 13 ? r.body : undefined;
    });
    expect(logged.items.find((i) => i.ip === '198.51.100.7')).toMatchObject({
      requests: 1,
      files: [`/dl/${ORG}/${REPO}/deb/debian/${pool['1.0-1']}`],
    });
    const fleet = await get<Access>(`/orgs/${ORG}/tokens/${tokens.fleet.id}/access`);
    expect(fleet.body.token.suspiciousAt).toBeNull();
    expect(fleet.body.addresses).toBe(1);
    expect(fleet.body.items.reduce((n, i) => n + i.requests, 0)).toBe(23);

    const audit = await get<{ items: { action: string; targetId?: string }[] }>(
      `/orgs/${ORG}/audit?limit=20`,
    );
    expect(audit.body.items.filter((e) => e.action === 'token.suspicious')).toHaveLength(1);
    const hook = await eventually('the token.suspicious webhook', async () => hooks[0]);
    expect(hook.headers['x-pallet-event']).toBe('token.suspicious');
    const ts = String(hook.headers['x-pallet-timestamp']);
    const mac = createHmac('sha256', hookSecret).update(`${ts}.${hook.body}`).digest('hex');
    expect(hook.headers['x-pallet-signature']).toBe(`sha256=${mac}`);
    expect(JSON.parse(hook.body).data).toMatchObject({
      token: { id: tokens.laptop.id, name: 'laptop' },
      addresses: seen,
    });

    // The dashboard: the chart of the Downloads tab, the alert on the token's page and its one-click revoke.
    const session = await signInWithPassword(pallet.baseUrl, 'owner@statsorg.test', 'stats owner password');
    const [name, ...value] = session.cookie!.split('=');
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: pallet.baseUrl });
    await context.addCookies([{ name: name!, value: value.join('='), url: pallet.baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`/orgs/${ORG}/repos/${REPO}/downloads`);
    const chart = page.getByTestId('bar-chart').first();
    await chart.waitFor({ timeout: 20_000 }).catch(async () => {
      throw new Error(`no chart on the Downloads tab: ${(await page.textContent('main'))?.slice(0, 500)}`);
    });
    expect(await chart.getAttribute('aria-label')).toMatch(/^Downloads per day, last 30 days \(32 in all\)/);
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.goto(`/orgs/${ORG}/tokens`);
    expect(await page.locator('tr[data-token="laptop"]').getByText('suspicious').count()).toBe(1);
    await page.goto(`/orgs/${ORG}/tokens/${tokens.laptop.id}`);
    await page.getByText(/looks leaked/).waitFor();
    expect(await page.locator('tr[data-access-ip="198.51.100.7"]').count()).toBe(1);
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revoke token laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText(/^revoked/).waitFor();
    const after = await dl(`deb/debian/${pool['1.0-1']}`, tokens.laptop.token);
    expect(after.status).toBe(401);
  });
});
