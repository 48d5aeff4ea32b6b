// /metrics in Prometheus format: served by the web server outside Next.js, behind PALLET_METRICS_TOKEN,
// and moving after an upload and its publication — the worker's publication and signing times reach it
// through Redis. Route labels are patterns, never raw paths.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { buildRpm } from './support/rpm-builder';
import { type RunningPallet, startPallet } from './support/server';

const METRICS_TOKEN = 'metrics-token-for-the-e2e-test';
const ORG = 'acme';
const REPO = 'tools';
const UPLOAD_ROUTE = '/api/v1/orgs/[org]/repos/[repo]/packages';

let pallet: RunningPallet;
let api: PalletClient;
let work: string;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${pallet.baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples: Sample[] = [];
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the series of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-metrics-'));
  pallet = await startPallet('metrics', { PALLET_METRICS_TOKEN: METRICS_TOKEN });
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'ops@metrics.test',
    'correct horse battery',
    ORG,
  );
  api = new PalletClient(pallet.baseUrl, signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public', keyAlgorithm: 'ed25519' });
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('/metrics', () => {
  it('answers only the metrics token', async () => {
    expect((await fetch(`${pallet.baseUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${pallet.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('shows requests, upload bytes, publications, signing and queues moving after an upload', async () => {
    const before = await scrape();
    const deb = buildDeb(work, { name: 'metrics-hello', version: '1.0-1' });
    const rpm = buildRpm(work, { name: 'metrics-tool', version: '1.0', release: '1', arch: 'noarch' });
    const up = await api.uploadPackage(ORG, REPO, deb, { distribution: 'debian/bookworm' });
    const upRpm = await api.uploadPackage(ORG, REPO, rpm, { distribution: 'el/9' });
    expect((await api.waitForPackage(ORG, REPO, up.data.id, 60_000)).status).toBe('published');
    expect((await api.waitForPackage(ORG, REPO, upRpm.data.id, 60_000)).status).toBe('published');
    expect(
      (await fetch(`${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/dists/bookworm/InRelease`)).status,
    ).toBeLessThan(500);

    // The worker's snapshot reaches Redis every 5 s.
    let after = await scrape();
    const until = Date.now() + 60_000;
    while (
      Date.now() < until &&
      total(after, 'pallet_publication_duration_seconds_count', { process: 'worker' }) < 2
    ) {
      await new Promise((r) => setTimeout(r, 1000));
      after = await scrape();
    }
    const grew = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    expect(grew('pallet_http_requests_total', { method: 'POST', route: UPLOAD_ROUTE, status: '202' })).toBe(
      2,
    );
    expect(grew('pallet_http_requests_total', { route: '/dl' })).toBeGreaterThanOrEqual(1);
    expect(grew('pallet_upload_bytes_total')).toBeGreaterThanOrEqual(statSync(deb).size + statSync(rpm).size);
    expect(grew('pallet_uploads_total', { result: 'staged' })).toBe(2);
    expect(
      grew('pallet_publication_duration_seconds_count', { process: 'worker', format: 'deb' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      grew('pallet_publication_duration_seconds_count', { process: 'worker', format: 'rpm' }),
    ).toBeGreaterThanOrEqual(1);
    for (const kind of ['release', 'repomd', 'rpm'])
      expect(grew('pallet_signing_duration_seconds_count', { kind }), kind).toBeGreaterThanOrEqual(1);
    expect(after.some((s) => s.name === 'pallet_queue_jobs' && s.labels.queue === 'ingest')).toBe(true);
    // Route labels are patterns: no org, repository or package id ever becomes a label value.
    const routes = new Set(
      after.filter((s) => s.name === 'pallet_http_requests_total').map((s) => s.labels.route),
    );
    for (const route of routes) {
      expect(route).not.toContain(ORG);
      expect(route).not.toContain(up.data.id);
    }
  });
});
