/// <reference lib="dom" />
// Vulnerability scanning as users meet it: the operator imports an OSV advisory with `npm run advisories`,
// a package it affects shows the finding with its fixed version through the API and in the dashboard
// (Chromium), uploading the fixed version clears it, and a "refuse critical" policy answers the affected
// upload with 422 and a clear message.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, PalletClient } from '@pallet/api-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, seriousA11yProblems } from './support/browser';
import { buildDeb } from './support/deb-builder';
import { type RunningPallet, startPallet } from './support/server';

const ROOT = join(import.meta.dirname, '..');
const ORG = 'vuln-acme';
const REPO = 'tools';
const EMAIL = 'owner@vuln-acme.test';
const PASSWORD = 'correct horse battery staple';
const DIST = 'debian/bookworm';

interface Finding {
  package: { id: string; name: string; version: string; distribution: string };
  advisory: { id: string; aliases: string[]; severity: string; summary: string };
  fixedVersion?: string;
}

let pallet: RunningPallet;
let browser: Browser;
let page: Page;
let api: PalletClient;
let work: string;

/** An advisory in the shape of Debian's OSV records (see packages/core/src/advisory/fixtures/osv). */
function writeAdvisory(dir: string) {
  mkdirSync(dir, { recursive: true });
  const record = {
    schema_version: '1.6.0',
    id: 'DSA-9100-1',
    summary: 'pallet-vuln - security update',
    upstream: ['CVE-2026-0100'],
    published: '2026-12-01T00:00:00Z',
    modified: '2026-12-01T12:00:00Z',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: {
          ecosystem: 'Debian:12',
          name: 'pallet-vuln',
          purl: 'pkg:deb/debian/pallet-vuln?arch=source',
        },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }],
      },
    ],
  };
  writeFileSync(join(dir, 'DSA-9100-1.json'), JSON.stringify(record));
}

async function vulnerabilities(query = ''): Promise<Finding[]> {
  return (
    await api.request<{ items: Finding[] }>('GET', `/orgs/${ORG}/repos/${REPO}/vulnerabilities${query}`)
  ).data.items;
}

async function uploadPublished(name: string, version: string) {
  const file = buildDeb(work, { name, version });
  const up = await api.uploadPackage(ORG, REPO, file, { distribution: DIST });
  const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
  expect(pkg.status, pkg.error).toBe('published');
  return pkg;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-vulnerabilities-e2e-'));
  pallet = await startPallet('vulnerabilities');
  const signup = await new PalletClient(pallet.baseUrl).signup(EMAIL, PASSWORD, ORG);
  api = new PalletClient(pallet.baseUrl, signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'private', keyAlgorithm: 'ed25519' });
  browser = await launchChromium();
  const context = await browser.newContext({
    baseURL: pallet.baseUrl,
    viewport: { width: 1280, height: 860 },
  });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/orgs/${ORG}/**`, { timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('vulnerability scanning and upload policies', () => {
  it('shows an imported advisory on the affected package through the API and the dashboard; the fixed upload clears it', async () => {
    const advisories = join(work, 'osv');
    writeAdvisory(advisories);
    const out = execFileSync('npm', ['run', '--silent', 'advisories', '--', 'import', advisories], {
      cwd: ROOT,
      env: { ...process.env, ...pallet.instance.env },
      encoding: 'utf8',
    });
    expect(out).toMatch(/1 imported/);

    const vulnerable = await uploadPublished('pallet-vuln', '1.0-1');
    await expect.poll(() => vulnerabilities(), { timeout: 30_000, interval: 300 }).toHaveLength(1);
    const [finding] = await vulnerabilities(`?distribution=${DIST}&severity=critical&package=pallet-vuln`);
    expect(finding).toEqual({
      package: expect.objectContaining({
        id: vulnerable.id,
        name: 'pallet-vuln',
        version: '1.0-1',
        distribution: DIST,
      }),
      advisory: expect.objectContaining({
        id: 'DSA-9100-1',
        aliases: ['CVE-2026-0100'],
        severity: 'critical',
      }),
      fixedVersion: '1.0-2',
    });
    expect(await vulnerabilities('?severity=low')).toEqual([]);
    const pkg = await api.request<{ vulnerabilities: unknown[] }>(
      'GET',
      `/orgs/${ORG}/repos/${REPO}/packages/${vulnerable.id}`,
    );
    expect(pkg.data.vulnerabilities).toEqual([expect.objectContaining({ fixedVersion: '1.0-2' })]);
    const repo = await api.request<{ vulnerabilities: Record<string, number> }>(
      'GET',
      `/orgs/${ORG}/repos/${REPO}`,
    );
    expect(repo.data.vulnerabilities).toMatchObject({ critical: 1, packages: 1 });

    await page.goto(`/orgs/${ORG}/repos/${REPO}/vulnerabilities`);
    const row = page.locator('tr[data-finding="pallet-vuln DSA-9100-1"]');
    await expect
      .poll(() => row.textContent())
      .toMatch(/1\.0-1[\s\S]*CVE-2026-0100[\s\S]*critical[\s\S]*1\.0-2/);
    expect(await page.locator('[data-summary="critical"]').textContent()).toBe('1');
    await screenshot(page, 'vulnerabilities');
    expect(await seriousA11yProblems(page)).toEqual([]);
    await row.getByRole('link', { name: 'pallet-vuln' }).click();
    await page.waitForURL(`**/packages/${vulnerable.id}`);
    expect(await page.locator('tr[data-finding="DSA-9100-1"]').textContent()).toMatch(
      /critical[\s\S]*1\.0-2/,
    );
    expect(await seriousA11yProblems(page)).toEqual([]);

    await uploadPublished('pallet-vuln', '1.0-2');
    await expect.poll(() => vulnerabilities(), { timeout: 30_000, interval: 300 }).toEqual([]);
    await page.goto(`/orgs/${ORG}/repos/${REPO}/vulnerabilities`);
    await page.getByText('No known vulnerabilities').waitFor();
  });

  it('refuses an upload with a critical vulnerability with 422 and the reason when the policy says so', async () => {
    await page.goto(`/orgs/${ORG}/repos/${REPO}/policies`);
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.getByLabel('At or above').selectOption('critical');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved: 1 rule.').waitFor();
    const policy = await api.request<{ rules: unknown[] }>('GET', `/orgs/${ORG}/repos/${REPO}/policies`);
    expect(policy.data.rules).toEqual([{ kind: 'vulnerability', minSeverity: 'critical', action: 'refuse' }]);

    const file = buildDeb(work, { name: 'pallet-vuln', version: '1.0-1+b1' });
    const err = await api.uploadPackage(ORG, REPO, file, { distribution: DIST }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'policy_violation' });
    expect((err as ApiError).message).toMatch(/DSA-9100-1 \(critical, fixed in 1\.0-2\)/);
    const listed = await api.listPackages(ORG, REPO, { q: 'pallet-vuln' });
    expect(listed.items.map((p) => p.version).sort()).toEqual(['1.0-1', '1.0-2']);
  });
});
