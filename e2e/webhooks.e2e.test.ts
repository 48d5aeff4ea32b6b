// Org webhooks over HTTP against the built server and worker, with a local receiver (issue 14): a signed
// delivery per event, retries after a 500 until success, the delivery log and redelivery. The server runs
// with PALLET_WEBHOOK_ALLOW_PRIVATE=true (the receiver is on loopback); the refusal without the switch is
// in packages/core/src/webhook/webhook-delivery.int.test.ts (creation and connection time).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const ORG = 'hookorg';
const REPO = 'tools';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

let pallet: RunningPallet;
let browser: Browser | undefined;
let api: PalletClient;
let token: string;
let receiver: Server;
let receiverUrl: string;
let work: string;
const received: Received[] = [];
/** answers per path, consumed in order; afterwards 200 */
const scripted = new Map<string, number[]>();
const hooks: Record<'all' | 'flaky', { id: string; secret: string }> = {} as never;

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function deliveriesTo(path: string, event: string): Received[] {
  return received.filter((r) => r.path === path && r.headers['x-pallet-event'] === event);
}

/** The receiver's check from docs/webhooks.md, written out: HMAC of "{timestamp}.{body}", 5 minutes' tolerance. */
function signed(r: Received, secret: string): boolean {
  const timestamp = Number(r.headers['x-pallet-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  const given = String(r.headers['x-pallet-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const path = req.url ?? '/';
    const answered = scripted.get(path)?.shift() ?? 200;
    received.push({ path, headers: req.headers, body, answered });
    res.writeHead(answered).end(answered === 200 ? 'ok' : 'try later');
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  pallet = await startPallet('webhooks', {
    PALLET_WEBHOOK_ALLOW_PRIVATE: 'true',
    PALLET_WEBHOOK_RETRY_BASE_MS: '200',
    PALLET_WEBHOOK_ATTEMPTS: '4',
  });
  work = mkdtempSync(join(tmpdir(), 'pallet-webhooks-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@hookorg.test',
    'hook owner password',
    ORG,
  );
  token = signup.token;
  api = new PalletClient(pallet.baseUrl, token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public', keyAlgorithm: 'ed25519' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pallet?.stop();
  receiver?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('org webhooks', () => {
  it('creates webhooks, answering the secret once; bad input changes nothing', async () => {
    const bad = [
      { url: 'ftp://example.test/x', events: ['package.published'] },
      { url: `${receiverUrl}/all`, events: [] },
      { url: `${receiverUrl}/all`, events: ['package.exploded'] },
      { url: `${receiverUrl}/all`, events: ['package.published'], secret: 'short' },
    ];
    for (const body of bad) {
      const res = await api
        .request<{ error: { code: string } }>('POST', `/orgs/${ORG}/webhooks`, body)
        .catch((err) => err);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const all = await api.request<{ id: string; secret: string; secretPrefix: string }>(
      'POST',
      `/orgs/${ORG}/webhooks`,
      {
        url: `${receiverUrl}/all`,
        events: ['package.published', 'package.deleted', 'publication.switched'],
      },
    );
    expect(all.status).toBe(201);
    expect(all.data.secret).toMatch(/^whsec_/);
    hooks.all = all.data;
    const flaky = await api.request<{ id: string; secret: string }>('POST', `/orgs/${ORG}/webhooks`, {
      url: `${receiverUrl}/flaky`,
      events: ['publication.switched'],
      secret: 'a secret chosen by the receiver',
    });
    expect(flaky.data.secret).toBe('a secret chosen by the receiver');
    hooks.flaky = flaky.data;
    const list = await api.request<{ id: string; secret?: string }[]>('GET', `/orgs/${ORG}/webhooks`);
    expect(list.data.map((h) => h.id).sort()).toEqual([all.data.id, flaky.data.id].sort());
    expect(JSON.stringify(list.data)).not.toContain(all.data.secret);
    const db = readFileSync(join(pallet.instance.dir, 'web.log'), 'utf8');
    expect(db).not.toContain(all.data.secret);
  });

  it('delivers package.published and publication.switched signed; retries a 500 until it succeeds', async () => {
    scripted.set('/flaky', [500, 503]);
    const deb = buildDeb(work, { name: 'hooked', version: '1.0-1' });
    const up = await api.uploadPackage(ORG, REPO, deb, { distribution: 'debian/bookworm' });
    const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
    expect(pkg.status, pkg.error).toBe('published');

    const published = await waitFor('package.published', () => deliveriesTo('/all', 'package.published')[0]);
    expect(signed(published, hooks.all.secret)).toBe(true);
    expect(signed(published, hooks.flaky.secret)).toBe(false);
    const body = JSON.parse(published.body);
    expect(body).toMatchObject({
      event: 'package.published',
      org: ORG,
      data: {
        repository: REPO,
        distribution: 'debian/bookworm',
        package: { id: up.data.id, name: 'hooked', version: '1.0-1', architecture: 'all', format: 'deb' },
      },
    });
    expect(published.headers['x-pallet-delivery']).toBeTruthy();
    const switched = await waitFor(
      'publication.switched',
      () => deliveriesTo('/all', 'publication.switched')[0],
    );
    expect(signed(switched, hooks.all.secret)).toBe(true);
    expect(JSON.parse(switched.body).data).toMatchObject({
      repository: REPO,
      distribution: 'debian/bookworm',
    });

    const flaky = await waitFor('a successful flaky delivery', () => {
      const got = deliveriesTo('/flaky', 'publication.switched');
      return got.some((r) => r.answered === 200) ? got : undefined;
    });
    expect(flaky.map((r) => r.answered)).toEqual([500, 503, 200]);
    for (const r of flaky) expect(signed(r, hooks.flaky.secret)).toBe(true);
    // One event, one id, however many attempts.
    expect(new Set(flaky.map((r) => JSON.parse(r.body).id)).size).toBe(1);

    const log = await api.request<{
      items: {
        status: string;
        attempts: number;
        responseStatus: number;
        attemptLog: { status: number; durationMs: number }[];
      }[];
    }>('GET', `/orgs/${ORG}/webhooks/${hooks.flaky.id}/deliveries`);
    const [delivery] = log.data.items;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200 });
    expect(delivery!.attemptLog.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(delivery!.attemptLog.every((a) => a.durationMs >= 0)).toBe(true);
  });

  it('delivers package.deleted, and redelivers an event with the same id and a fresh signature', async () => {
    const list = await api.listPackages(ORG, REPO);
    const id = (list.items as { id: string }[])[0]!.id;
    expect(await api.deletePackage(ORG, REPO, id)).toBe(202);
    const deleted = await waitFor('package.deleted', () => deliveriesTo('/all', 'package.deleted')[0]);
    expect(signed(deleted, hooks.all.secret)).toBe(true);
    expect(JSON.parse(deleted.body).data.package).toMatchObject({ id, name: 'hooked' });

    const log = await api.request<{ items: { id: string; event: string; eventId: string }[] }>(
      'GET',
      `/orgs/${ORG}/webhooks/${hooks.all.id}/deliveries`,
    );
    const original = log.data.items.find((d) => d.event === 'package.published')!;
    const before = deliveriesTo('/all', 'package.published').length;
    const again = await api.request<{ id: string; redeliveryOf: string; eventId: string }>(
      'POST',
      `/orgs/${ORG}/webhooks/${hooks.all.id}/deliveries/${original.id}/redeliver`,
    );
    expect(again.status).toBe(202);
    expect(again.data).toMatchObject({ redeliveryOf: original.id, eventId: original.eventId });
    const resent = await waitFor('the redelivery', () => deliveriesTo('/all', 'package.published')[before]);
    expect(signed(resent, hooks.all.secret)).toBe(true);
    expect(JSON.parse(resent.body).id).toBe(original.eventId);

    const audit = await api.request<{ items: { action: string }[] }>('GET', `/orgs/${ORG}/audit?limit=50`);
    const actions = audit.data.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.create', 'webhook.redeliver']));
  });

  it('shows the webhooks and their delivery log with status codes in the dashboard', async () => {
    const session = await signInWithPassword(pallet.baseUrl, 'owner@hookorg.test', 'hook owner password');
    const [name, ...value] = session.cookie!.split('=');
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: pallet.baseUrl });
    await context.addCookies([{ name: name!, value: value.join('='), url: pallet.baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`/orgs/${ORG}/webhooks`);
    await page.locator(`tr[data-webhook="${receiverUrl}/flaky"]`).waitFor();
    expect(await page.content()).not.toContain(hooks.flaky.secret);
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.getByRole('link', { name: `${receiverUrl}/flaky` }).click();
    const row = page.locator('tr[data-delivery]').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('publication.switched');
    expect(text).toContain('delivered');
    expect(text).toContain('200');
    expect(await seriousA11yProblems(page)).toEqual([]);
  });

  it('deletes a webhook: 204, then 404, and nothing more is sent to it', async () => {
    const res = await fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/webhooks/${hooks.flaky.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    const again = await fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/webhooks/${hooks.flaky.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(404);
    for (const file of ['web.log', 'worker.log']) {
      const log = readFileSync(join(pallet.instance.dir, file), 'utf8');
      expect(log).not.toContain(hooks.all.secret);
      expect(log).not.toContain(hooks.flaky.secret);
    }
  });
});
