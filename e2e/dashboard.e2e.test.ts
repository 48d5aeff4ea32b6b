/// <reference lib="dom" />
// The dashboard's user story in Chromium: sign up, create a private repository, upload a .deb and an
// .rpm through the browser, follow them to "published", copy the setup instructions, create and revoke
// a read token, find it all in the audit log — and another org's user gets 404 for every page of it.
// Screenshots go to test-output/screenshots/; axe-core must find nothing serious or critical.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationAnchor } from '../apps/web/src/lib/api-reference';
import {
  type AxeProblem,
  dropFile,
  launchChromium,
  screenshot,
  seriousA11yProblems,
} from './support/browser';
import { buildDeb } from './support/deb-builder';
import { buildRpm } from './support/rpm-builder';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'dash-acme';
const REPO = 'tools';
const EMAIL = 'owner@dash-acme.test';
const PASSWORD = 'correct horse battery staple';

let pallet: RunningPallet;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
let debFile: string;
let rpmFile: string;
let invitationUrl: string;
const a11y: Record<string, AxeProblem[]> = {};

async function checkA11y(name: string, p: Page = page) {
  a11y[name] = await seriousA11yProblems(p);
}

/** Clicks a setup block's copy button and waits until it says it copied; returns the clipboard text. */
async function copy(block: string): Promise<string> {
  const button = page.getByRole('button', { name: `Copy ${block}`, exact: true });
  await button.click();
  await expect.poll(() => button.getAttribute('data-state')).toBe('copied');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function signUp(p: Page, email: string, org: string) {
  await p.goto('/sign-up');
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByLabel('Org name').fill(org);
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.waitForURL(`**/orgs/${org}/repos`, { timeout: 30_000 });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-dashboard-e2e-'));
  debFile = buildDeb(work, { name: 'pallet-dash', version: '1.0-1' });
  rpmFile = buildRpm(work, { name: 'pallet-dash-tool', version: '2.0', release: '1', arch: 'noarch' });
  pallet = await startPallet('dashboard');
  browser = await launchChromium();
  context = await browser.newContext({ baseURL: pallet.baseUrl, viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pallet.baseUrl });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the dashboard, end to end in Chromium', () => {
  it('signs a new user up into an empty org that says what to do next', async () => {
    await page.goto('/sign-up');
    await checkA11y('sign-up');
    await screenshot(page, 'sign-up');
    await signUp(page, EMAIL, ORG);
    await expect(page.getByRole('heading', { name: 'No repositories yet' }).isVisible()).resolves.toBe(true);
    await checkA11y('repositories-empty');
  });

  it('creates a private repository', async () => {
    await page.getByRole('link', { name: 'New repository' }).first().click();
    await page.getByLabel('Name').fill(REPO);
    await page.getByLabel('Private').check();
    await page.getByLabel('Description (optional)').fill('Internal tools for the fleet');
    await checkA11y('new-repository');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await page.waitForURL(`**/orgs/${ORG}/repos/${REPO}/upload`);
    expect(await page.getByText('private', { exact: true }).first().isVisible()).toBe(true);
  });

  it('uploads a .deb with the file chooser and an .rpm by drag and drop, and both get published', async () => {
    await checkA11y('upload-empty');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('dropzone').click();
    await (await chooser).setFiles(debFile);
    await dropFile(page, '[data-testid="dropzone"]', rpmFile, 'application/x-rpm');
    const deb = page.locator('[data-upload="pallet-dash_1.0-1_all.deb"]');
    const rpm = page.locator('[data-upload$=".noarch.rpm"]');
    await deb.and(page.locator('[data-phase="published"]')).waitFor({ timeout: 90_000 });
    await rpm.and(page.locator('[data-phase="published"]')).waitFor({ timeout: 90_000 });
    await screenshot(page, 'upload');
    await checkA11y('upload-done');

    await page.getByRole('link', { name: 'Packages', exact: true }).click();
    await page.waitForURL(`**/orgs/${ORG}/repos/${REPO}`);
    const rows = page.locator('tr[data-package]');
    await expect.poll(() => rows.count()).toBe(2);
    for (const name of ['pallet-dash', 'pallet-dash-tool']) {
      const status = page.locator(`tr[data-package="${name}"] [data-status]`);
      expect(await status.getAttribute('data-status')).toBe('published');
    }
    await screenshot(page, 'packages');
    await checkA11y('packages');

    // Search and filters narrow the table (plain GET forms).
    await page.getByLabel('Search by name').fill('tool');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/q=tool/);
    await expect.poll(() => rows.count()).toBe(1);
    await page.goto(`/orgs/${ORG}/repos/${REPO}?distribution=${encodeURIComponent('el/9')}`);
    expect(await page.locator('tr[data-package="pallet-dash-tool"]').count()).toBe(1);
    expect(await rows.count()).toBe(1);
  });

  it('lists the repository with its package count and last publication', async () => {
    await page.goto(`/orgs/${ORG}/repos`);
    const row = page.getByRole('row', { name: new RegExp(REPO) });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('debian/bookworm');
    expect(text).toContain('el/9');
    expect(text).not.toContain('never');
    await screenshot(page, 'repositories');
    await checkA11y('repositories');
  });

  it('shows publications and signing keys with download links', async () => {
    await page.goto(`/orgs/${ORG}/repos/${REPO}/publications`);
    expect(await page.getByRole('cell', { name: 'published' }).count()).toBeGreaterThanOrEqual(2);
    // The current publication of each distribution offers its SBOM in both formats, with the session.
    for (const [format, check] of [
      ['CycloneDX', (doc: { bomFormat?: string; components?: unknown[] }) => doc.components?.length],
      ['SPDX', (doc: { spdxVersion?: string; packages?: unknown[] }) => doc.packages?.length],
    ] as const) {
      const link = page.getByRole('link', {
        name: `Download the ${format} SBOM of debian/bookworm`,
        exact: true,
      });
      const response = await page.request.get((await link.getAttribute('href')) ?? '');
      expect(response.status()).toBe(200);
      expect(check(await response.json())).toBeGreaterThan(0);
    }
    await checkA11y('publications');

    await page.goto(`/orgs/${ORG}/repos/${REPO}/keys`);
    const fingerprint = await page.locator('[data-fingerprint]').first().getAttribute('data-fingerprint');
    expect(fingerprint).toMatch(/^[0-9A-Fa-f]{40,64}$/);
    expect(await page.getByRole('link', { name: /gpg\.asc/ }).getAttribute('href')).toBe(
      `/dl/${ORG}/${REPO}/gpg.asc`,
    );
    expect(await page.getByRole('link', { name: /gpg\.gpg/ }).getAttribute('href')).toBe(
      `/dl/${ORG}/${REPO}/gpg.gpg`,
    );
    await screenshot(page, 'keys');
    await checkA11y('keys');
  });

  it('rotates the signing key from the Keys tab, then retires the old one', async () => {
    await page.goto(`/orgs/${ORG}/repos/${REPO}/keys`);
    const old = await page.locator('[data-fingerprint]').first().getAttribute('data-fingerprint');
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByText('retiring', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-fingerprint]').count()).toBe(2);
    expect(await page.locator('[data-fingerprint]').nth(1).getAttribute('data-fingerprint')).toBe(old);
    await page.getByRole('button', { name: `Retire key ${old}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retire key' }).click();
    await page.getByText('retired', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('button', { name: 'Rotate key' }).isVisible()).toBe(true);
  });

  it('copies the setup instructions for apt and dnf', async () => {
    await page.goto(`/orgs/${ORG}/repos/${REPO}/setup`);
    const deb822 = await copy('Sources (deb822)');
    expect(deb822).toContain('Types: deb');
    expect(deb822).toContain(`${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/debian`);
    expect(deb822).toContain('Suites: bookworm');
    expect(await page.getByText('This repository is private').isVisible()).toBe(true);
    await screenshot(page, 'setup-apt');
    await checkA11y('setup-apt');

    await page.getByLabel('Distribution').selectOption('el/9');
    await page.getByRole('button', { name: 'Show instructions' }).click();
    await page.waitForURL(/distribution=el%2F9/);
    const repoFile = await copy('dnf / yum .repo file');
    expect(repoFile).toContain(`[${ORG}-${REPO}]`);
    expect(repoFile).toContain(`baseurl=${pallet.baseUrl}/dl/${ORG}/${REPO}/rpm/el/9`);
    expect(repoFile).toContain('password=YOUR_READ_TOKEN');
    expect(await copy('Setup script')).toMatch(/^#!\/bin\/sh/);
    await screenshot(page, 'setup-rpm');
  });

  it('creates a read token, shows its secret once, and revokes it', async () => {
    await page.goto(`/orgs/${ORG}/tokens`);
    await page.getByLabel('Name', { exact: true }).fill('fleet-reader');
    expect(await page.getByLabel(/^Read/).isChecked()).toBe(true);
    await page.getByLabel(REPO, { exact: true }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = ((await page.getByTestId('token-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^plt_/);
    const row = page.locator('tr[data-token="fleet-reader"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('repo:read');
    await screenshot(page, 'tokens');
    await checkA11y('tokens');

    const keyUrl = `${pallet.baseUrl}/dl/${ORG}/${REPO}/gpg.asc`;
    const basic = `Basic ${Buffer.from(`token:${secret}`).toString('base64')}`;
    expect((await fetch(keyUrl, { headers: { authorization: basic } })).status).toBe(200);

    await page.reload();
    expect(await page.getByText(secret).count()).toBe(0);
    await row.getByRole('button', { name: 'Revoke token fleet-reader' }).click();
    await checkA11y('tokens-revoke-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked').waitFor();
    expect((await fetch(keyUrl, { headers: { authorization: basic } })).status).toBe(401);
  });

  it('lists members, creates an invitation link, and creates a second org from the switcher', async () => {
    await page.goto(`/orgs/${ORG}/members`);
    expect(await page.getByRole('row', { name: new RegExp(EMAIL) }).count()).toBe(1);
    await page.getByLabel('Email (optional)').fill('colleague@dash-acme.test');
    await page.getByLabel('Role', { exact: true }).selectOption('publisher');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    invitationUrl = ((await page.getByTestId('invitation-url').textContent()) ?? '').trim();
    expect(invitationUrl).toMatch(new RegExp(`^${pallet.baseUrl}/invite/pli_`));
    await page.getByRole('row', { name: /colleague@dash-acme\.test/ }).waitFor();
    await screenshot(page, 'members');
    await checkA11y('members');

    await page.getByRole('button', { name: /Switch org/ }).click();
    await page.getByRole('menuitem', { name: 'Create an org' }).click();
    await page.waitForURL('**/orgs/new');
    await page.getByLabel('URL name').fill(`${ORG}-labs`);
    await page.getByRole('button', { name: 'Create org' }).click();
    await page.waitForURL(`**/orgs/${ORG}-labs/repos`);
    await page.getByRole('button', { name: /Switch org/ }).click();
    await page.getByRole('menuitem', { name: ORG, exact: true }).click();
    await page.waitForURL(`**/orgs/${ORG}/repos`);
  });

  it('finds every action in the audit log, filters it and exports it as CSV', async () => {
    await page.goto(`/orgs/${ORG}/audit`);
    const actions = await page
      .locator('tr[data-action]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const action of [
      'user.signup',
      'org.create',
      'repository.create',
      'signing_key.create',
      'package.upload',
      'publication.create',
      'token.create',
      'token.revoke',
      'invitation.create',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(await page.locator('tr[data-action="package.upload"]').count()).toBe(2);
    await screenshot(page, 'audit');
    await checkA11y('audit');

    await page.getByLabel('Action').selectOption('token.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=token/);
    const filtered = await page
      .locator('tr[data-action]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(filtered.length).toBeGreaterThanOrEqual(2);
    expect(filtered.every((a) => a?.startsWith('token.'))).toBe(true);

    const csv = await context.request.get(`/orgs/${ORG}/audit/export`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const body = await csv.text();
    expect(body.split('\r\n')[0]).toBe('at,actor,action,target,ip,details');
    expect(body).toContain('token.revoke');
    expect(body).toContain('package.upload');
  });

  it('shows the reading pages without JavaScript', async () => {
    const noJs = await browser.newContext({
      baseURL: pallet.baseUrl,
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const p = await noJs.newPage();
    await p.goto(`/orgs/${ORG}/repos/${REPO}`);
    expect(await p.locator('tr[data-package]').count()).toBe(2);
    await p.goto(`/orgs/${ORG}/repos/${REPO}/setup`);
    expect(await p.locator('pre[data-copy-source="Sources (deb822)"]').textContent()).toContain('Types: deb');
    await p.goto(`/orgs/${ORG}/audit?action=token.`);
    expect(await p.locator('tr[data-action="token.revoke"]').count()).toBe(1);
    await noJs.close();
  });

  it('is usable at phone width', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      [`/orgs/${ORG}/repos`, 'phone-repositories'],
      [`/orgs/${ORG}/repos/${REPO}`, 'phone-packages'],
    ] as const) {
      await phone.goto(path);
      // Wide tables scroll inside their own region; the page itself must not scroll sideways.
      const overflow = await phone.evaluate(() => ({
        by: document.documentElement.scrollWidth - window.innerWidth,
        offenders: Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      expect(overflow.by, `${path} scrolls sideways: ${overflow.offenders.join(', ')}`).toBeLessThanOrEqual(
        1,
      );
      await screenshot(phone, name);
    }
    await phone.close();
  });

  it('shows another org’s pages to nobody else: a second user gets 404 for each of them', async () => {
    const other = await browser.newContext({ baseURL: pallet.baseUrl });
    const p = await other.newPage();
    await signUp(p, 'someone@elsewhere.test', 'elsewhere');
    for (const path of [
      `/orgs/${ORG}`,
      `/orgs/${ORG}/repos`,
      `/orgs/${ORG}/repos/new`,
      `/orgs/${ORG}/repos/${REPO}`,
      `/orgs/${ORG}/repos/${REPO}/upload`,
      `/orgs/${ORG}/repos/${REPO}/publications`,
      `/orgs/${ORG}/repos/${REPO}/setup`,
      `/orgs/${ORG}/repos/${REPO}/keys`,
      `/orgs/${ORG}/tokens`,
      `/orgs/${ORG}/members`,
      `/orgs/${ORG}/audit`,
    ]) {
      const res = await p.goto(path);
      expect(res?.status(), path).toBe(404);
      expect(await p.getByRole('heading', { name: 'Page not found' }).isVisible(), path).toBe(true);
      expect(await p.content(), path).not.toContain('Internal tools for the fleet');
    }
    // The CSV export answers refusals in the contract's shape, like every route (one mapping, lib/http.ts).
    const hiddenCsv = await other.request.get(`/orgs/${ORG}/audit/export`);
    expect(hiddenCsv.status()).toBe(404);
    expect((await hiddenCsv.json()).error.code).toBe('not_found');
    await screenshot(p, 'not-found');
    await checkA11y('not-found', p);
    // A visitor who is not signed in is sent to sign in.
    const anon = await browser.newContext({ baseURL: pallet.baseUrl });
    const a = await anon.newPage();
    await a.goto(`/orgs/${ORG}/repos`);
    expect(new URL(a.url()).pathname).toBe('/sign-in');
    const anonCsv = await anon.request.get(`/orgs/${ORG}/audit/export`);
    expect(anonCsv.status()).toBe(401);
    expect((await anonCsv.json()).error.code).toBe('signin_required');
    await checkA11y('sign-in', a);
    await screenshot(a, 'sign-in');
    await anon.close();
    await other.close();
  });

  it('lets the invited colleague create an account from the link and join as publisher', async () => {
    const ctx = await browser.newContext({ baseURL: pallet.baseUrl });
    const p = await ctx.newPage();
    await p.goto(invitationUrl);
    await p.getByRole('heading', { name: /Join dash-acme/ }).waitFor();
    await checkA11y('invitation', p);
    await p.getByRole('link', { name: 'Create an account' }).click();
    await p.getByLabel('Email').fill('colleague@dash-acme.test');
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByLabel('Org name').fill('colleague-home');
    await p.getByRole('button', { name: 'Create account' }).click();
    await p.waitForURL('**/invite/**');
    await p.getByRole('button', { name: `Join ${ORG}` }).click();
    await p.waitForURL(`**/orgs/${ORG}/repos`);
    expect(await p.getByRole('link', { name: REPO, exact: true }).isVisible()).toBe(true);
    await p.goto(`/orgs/${ORG}/members`);
    expect(await p.getByRole('row', { name: /colleague@dash-acme\.test/ }).textContent()).toContain(
      'publisher',
    );
    await ctx.close();
  });

  it('signs out, refuses a wrong password in words, and signs back in', async () => {
    await page.goto(`/orgs/${ORG}/repos`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in**');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Sign-in failed').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/orgs/${ORG}/repos`);
  });

  it('serves the API reference at /api/v1/docs, listing every operation of docs/openapi.json', async () => {
    const response = await page.goto('/api/v1/docs');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    const doc = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'openapi.json'), 'utf8'));
    const expected = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) =>
        ['get', 'head', 'post', 'put', 'patch', 'delete', 'options']
          .filter((m) => item[m])
          .map((m) => operationAnchor(m, path)),
    );
    const shown = await page
      .locator('section.operation')
      .evaluateAll((sections) => sections.map((s) => s.id));
    expect(shown.sort()).toEqual(expected.sort());
  });

  it('has no serious or critical accessibility violations on the main pages', () => {
    const problems = Object.entries(a11y).filter(([, list]) => list.length > 0);
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(12);
  });
});
