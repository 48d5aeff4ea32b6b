// Bursts through the API (issue 15), with the built web app and the worker running as under
// `npm start`: how soon after an upload's answer the signed index lists it, for one upload after a
// quiet spell, a burst of 100 uploads sent 20 at a time, and 30 uploads sent strictly one after another
// (with how many publications each made), how many uploads a second the API accepts from 20 clients,
// and upload → served on a 500-package distribution. A distribution publishes at most once a second (Release
// `Date` never runs ahead of the clock), so these show what the adaptive debounce makes of that rule.
// The references are the goals of issue 15: no other tool publishes over an upload API to measure.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { type RunningPallet, startPallet } from '../../e2e/support/server';
import { CpuMeter, cpuPerItem } from '../lib/process-cpu';
import { median, report } from '../lib/report';
import { RepreproReference } from '../lib/reprepro';
import { buildSyntheticDeb } from '../lib/synthetic-deb';

const ORG = 'bench';
const REPO = 'burst';

let pallet: RunningPallet;
let api: PalletClient;
let work: string;

function debFile(prefix: string, i: number): string {
  const deb = buildSyntheticDeb(i, prefix);
  const file = join(work, `${deb.name}_${deb.version}_amd64.deb`);
  writeFileSync(file, deb.bytes);
  return file;
}

async function upload(release: string, file: string): Promise<number> {
  const res = await api.uploadPackage(ORG, REPO, file, { distribution: `debian/${release}` });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}`);
  return performance.now();
}

/** Polls the served amd64 Packages index until it lists `count` packages; returns when it did. */
async function waitListed(release: string, count: number): Promise<number> {
  const url = `${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/debian/dists/${release}/main/binary-amd64/Packages`;
  const until = performance.now() + 60_000;
  for (;;) {
    const res = await fetch(url, { headers: { 'cache-control': 'no-cache' } });
    const listed = res.ok ? ((await res.text()).match(/^Package: /gm)?.length ?? 0) : 0;
    if (listed >= count) return performance.now();
    if (performance.now() > until) throw new Error(`${release}: ${listed} of ${count} listed after 60 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function publicationsOf(release: string): Promise<number> {
  return (await api.listPublications(ORG, REPO, `debian/${release}`)).length;
}

async function singleUploads(): Promise<void> {
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    // A quiet spell longer than the longest debounce: this upload is on its own.
    await new Promise((r) => setTimeout(r, 3500));
    const file = debFile('single', i);
    const answered = await upload('single', file);
    latencies.push((await waitListed('single', i + 1)) - answered);
  }
  report({
    scenario: 'api: one upload after a quiet spell, answer → in the signed index',
    packages: 1,
    ms: median(latencies),
    references: [{ name: 'issue 15 bound: a single upload publishes within 1 s', ms: 1000 }],
    note: `median of 5; all: ${latencies.map((l) => Math.round(l)).join(', ')} ms`,
  });
}

async function parallelBurst(): Promise<void> {
  const files = Array.from({ length: 100 }, (_, i) => debFile('burst', i));
  const started = performance.now();
  let next = 0;
  let lastAnswer = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < files.length) {
        const file = files[next++]!;
        lastAnswer = Math.max(lastAnswer, await upload('burst', file));
      }
    }),
  );
  const listed = await waitListed('burst', files.length);
  report({
    scenario: 'api: burst of 100 uploads, 20 at a time, last answer → all in the signed index',
    packages: files.length,
    ms: listed - lastAnswer,
    references: [{ name: 'issue 15 goal: within 1.5 s of the last answer', ms: 1500 }],
    note: `${await publicationsOf('burst')} publications; uploads accepted in ${Math.round(lastAnswer - started)} ms`,
  });
}

/**
 * Upload acceptance: 200 uploads by 20 clients at once, first request to last answer. CPU per upload of
 * every process (from /proc): until the last answer, and until all 200 are in the signed index and the
 * worker has been idle a moment (what each upload costs in all, ingestion, scan and publication included).
 */
async function acceptanceRate(): Promise<void> {
  const files = Array.from({ length: 200 }, (_, i) => debFile('rate', i));
  const bytes = files.reduce((sum, f) => sum + readFileSync(f).length, 0);
  let next = 0;
  const meter = new CpuMeter({
    baseUrl: pallet.baseUrl,
    workerPid: pallet.workerPid,
    databaseUrl: pallet.instance.env.DATABASE_URL!,
    redisUrl: pallet.instance.env.REDIS_URL!,
  });
  meter.start();
  const before = meter.sample();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < files.length) await upload('rate', files[next++]!);
    }),
  );
  const ms = performance.now() - started;
  const load = loadavg()[0] ?? 0;
  const answered = meter.sample();
  await waitListed('rate', files.length);
  let settled = meter.sample();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1500));
    const now = meter.sample();
    const quiet = now.worker! - settled.worker! < 30;
    settled = now;
    if (quiet) break;
  }
  meter.stop();
  report({
    scenario: 'api: 200 uploads by 20 clients at once, first request → last answer (202)',
    packages: files.length,
    ms,
    references: [{ name: 'issue 15 goal: 100 uploads/s (2 s for 200)', ms: 2000 }],
    note: `${(files.length / (ms / 1000)).toFixed(0)} uploads/s of ${(bytes / files.length / 1024).toFixed(1)} KB .debs; load average ${load.toFixed(1)}; CPU ms an upload until the last answer: ${cpuPerItem(before, answered, files.length)}; until all listed and the worker idle: ${cpuPerItem(before, settled, files.length)}`,
  });
}

/**
 * Upload → served on a 500-package distribution: each upload after a quiet spell, from its answer
 * until the signed index lists it (median of 7), beside `reprepro includedeb` of the same package into
 * a reprepro repository holding the same 500 (measured here).
 */
async function servedAt500(): Promise<void> {
  const reprepro = RepreproReference.available() ? new RepreproReference('large') : null;
  try {
    const base = Array.from({ length: 500 }, (_, i) => buildSyntheticDeb(i, 'large'));
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < base.length) {
          const deb = base[next++]!;
          const file = join(work, `${deb.name}_${deb.version}_amd64.deb`);
          writeFileSync(file, deb.bytes);
          await upload('large', file);
        }
      }),
    );
    await waitListed('large', base.length);
    if (reprepro) await reprepro.include(base);
    const latencies: number[] = [];
    const references: number[] = [];
    for (let i = 0; i < 7; i++) {
      await new Promise((r) => setTimeout(r, 3500));
      const answered = await upload('large', debFile('large-extra', i));
      latencies.push((await waitListed('large', base.length + i + 1)) - answered);
      if (reprepro) references.push(await reprepro.include([buildSyntheticDeb(i, 'large-extra')]));
    }
    report({
      scenario: 'api: upload → in the signed index, on a 500-package distribution (p50)',
      packages: base.length + 1,
      ms: median(latencies),
      references: [
        { name: 'issue 15 goal: p50 ≤ 0.5 s', ms: 500 },
        ...(reprepro
          ? [{ name: 'reprepro includedeb, unsigned (measured here)', ms: median(references) }]
          : []),
      ],
      note: `median of 7; all: ${latencies.map((l) => Math.round(l)).join(', ')} ms`,
    });
  } finally {
    reprepro?.close();
  }
}

async function sequentialUploads(): Promise<void> {
  const files = Array.from({ length: 30 }, (_, i) => debFile('sequence', i));
  const started = performance.now();
  let lastAnswer = 0;
  for (const file of files) lastAnswer = await upload('sequence', file);
  const listed = await waitListed('sequence', files.length);
  const publications = await publicationsOf('sequence');
  report({
    scenario: 'api: 30 uploads one after another, last answer → all in the signed index',
    packages: files.length,
    ms: listed - lastAnswer,
    references: [{ name: 'issue 15 goal: within 1.5 s of the last answer', ms: 1500 }],
    note: `${publications} publications (issue 15 goal: at most 10); uploads took ${Math.round(lastAnswer - started)} ms`,
  });
}

work = mkdtempSync(join(tmpdir(), 'pallet-bench-burst-'));
// The production debounce (the test instances shorten it).
// The default debounce (PALLET_PUBLISH_DEBOUNCE_MS, 150 ms), as `npm start` runs it.
pallet = await startPallet('bench_burst', { PALLET_PUBLISH_DEBOUNCE_MS: '150', LOG_LEVEL: 'warn' });
try {
  api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('bench@pallet.invalid', 'correct horse battery staple', ORG);
  api = api.withToken(signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public', keyAlgorithm: 'ed25519' });
  // Warm-up: first requests compile routes and load openpgp.js in both processes.
  await upload('warmup', debFile('warmup', 0));
  await waitListed('warmup', 1);
  // `npx tsx bench/scenarios/burst.ts acceptance` (comma-separated) runs only the named parts.
  const parts: [string, () => Promise<void>][] = [
    ['single', singleUploads],
    ['burst', parallelBurst],
    ['sequence', sequentialUploads],
    ['acceptance', acceptanceRate],
    ['served', servedAt500],
  ];
  const only = (process.argv[2] ?? '').split(',').filter(Boolean);
  for (const [name, run] of parts) if (only.length === 0 || only.includes(name)) await run();
} finally {
  await pallet.stop();
  rmSync(work, { recursive: true, force: true });
}
