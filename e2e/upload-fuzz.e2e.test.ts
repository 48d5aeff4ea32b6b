// A few hundred mutants of real .deb and .rpm files through the upload endpoint of the real server:
// every answer a contract answer (no 5xx, no hang, no stack trace), the server healthy after, and
// nothing staged left behind. Reproducible: PALLET_FUZZ_SEED picks the mutants; failures print it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { postUpload } from './support/raw-upload';
import { type RunningPallet, startPallet } from './support/server';
import { strayUploads } from './support/stray-uploads';
import { buildFuzzSeeds, formatTally, runFuzz } from './support/upload-fuzz';

const ORG = 'fuzz';
const REPO = 'main';
const SEED = Number(process.env.PALLET_FUZZ_SEED ?? 20261201);
const COUNT = Number(process.env.PALLET_FUZZ_MUTANTS ?? 300);

let pallet: RunningPallet;
let work: string;
let token: string;

beforeAll(async () => {
  pallet = await startPallet('upload-fuzz');
  work = mkdtempSync(join(tmpdir(), 'pallet-fuzz-e2e-'));
  const api = new PalletClient(pallet.baseUrl);
  token = (await api.signup('owner@fuzz.test', 'correct horse battery staple', ORG)).token;
  await api.withToken(token).createRepository(ORG, { name: REPO, visibility: 'public' });
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

it(`answers ${COUNT} mutated packages within the contract and stays healthy`, async () => {
  const uploadsUrl = `${pallet.baseUrl}/api/v1/orgs/${ORG}/repos/${REPO}/packages`;
  const tally = await runFuzz({
    uploadsUrl,
    token,
    seeds: buildFuzzSeeds(work),
    seed: SEED,
    count: COUNT,
    concurrency: 3,
    timeoutMs: 30_000,
  });
  console.log(formatTally(tally));
  expect(tally.mutants).toBe(COUNT);
  // Some mutants must be refused and (untouched structure) some accepted, or the fuzz tests nothing.
  expect((tally.byStatus['422'] ?? 0) + (tally.byStatus['415'] ?? 0)).toBeGreaterThan(COUNT / 4);
  expect(tally.findings, formatTally(tally)).toEqual([]);

  const health = await fetch(`${pallet.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
  expect(health.status).toBe(200);
  const deb = readFileSync(buildDeb(work, { name: 'after-fuzz', version: '1.0-1' }));
  const after = await postUpload(uploadsUrl, {
    token,
    filename: 'after-fuzz_1.0-1_all.deb',
    file: deb,
    fields: { distribution: 'debian/bookworm' },
    timeoutMs: 10_000,
  });
  expect(after.status, after.text).toBe(202);

  expect(await strayUploads(pallet), `seed ${SEED}`).toEqual([]);
}, 600_000);
