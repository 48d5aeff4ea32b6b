// The soak test, short (the long one is in `npm run bench`): behind the shipped edge caching InRelease
// longer than everything else (repomd.xml and its detached signature are a pair the edge never caches,
// see deploy/nginx/pallet-locations.conf), apt-get update and dnf makecache loops arriving at random
// times while a package is published every couple of seconds. With by-hash retention on, no update
// fails; with it off (PALLET_RETAIN_SUPERSEDED_HOURS=0), the same run must see failures, which proves the
// test can see the failure it guards against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryStaleConnections } from './support/fetch-retry';
import { requireTools } from './support/rpm-tools';
import { buildSoakPackages, type SoakPackages, type SoakResult, soakThroughEdge } from './support/soak';

const DURATION_MS = 20_000;
const PUBLISH_EVERY_MS = 2000;

function soak(label: string, env: Record<string, string>, packages: SoakPackages): Promise<SoakResult> {
  return soakThroughEdge(label, env, {
    packages,
    durationMs: DURATION_MS,
    aptClients: 2,
    dnfClients: 2,
    publishEveryMs: PUBLISH_EVERY_MS,
    minUpdatesPerClient: 3,
  });
}

function summary(r: SoakResult): string {
  const first = r.failures[0];
  return `${r.failures.length} of ${r.updates.length} updates failed${first ? `; first (${first.client}):\n${first.output}` : ''}`;
}

function report(label: string, r: SoakResult): void {
  console.log(
    `[soak] ${label}: ${r.uploads} uploads, ${r.updates.length} updates, ${r.failures.length} failed`,
  );
}

// Both runs at once (separate instances and edges): half the wall time of running them in turn.
let runs: Promise<[SoakResult, SoakResult]>;
let work: string;

beforeAll(() => {
  requireTools(['rpmbuild', 'dnf']);
  retryStaleConnections();
  work = mkdtempSync(join(tmpdir(), 'pallet-soak-packages-'));
  const packages = buildSoakPackages(work, DURATION_MS, PUBLISH_EVERY_MS);
  runs = Promise.all([
    soak('soak-retained', {}, packages),
    soak('soak-unretained', { PALLET_RETAIN_SUPERSEDED_HOURS: '0' }, packages),
  ]);
  // Each test awaits its half; a rejection is reported there, not as an unhandled one.
  runs.catch(() => {});
});

afterAll(async () => {
  await runs?.catch(() => {});
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('soak: package clients through the edge while packages keep arriving', () => {
  it('has no failed update while superseded by-hash files are retained', async () => {
    const r = (await runs)[0];
    report('retention on', r);
    expect(r.uploads).toBeGreaterThanOrEqual(8);
    expect(r.updates.filter((u) => u.client.startsWith('apt')).length).toBeGreaterThanOrEqual(6);
    expect(r.updates.filter((u) => u.client.startsWith('dnf')).length).toBeGreaterThanOrEqual(6);
    // KNOWN DEFECT, not the edge's and not retention's: dnf fetches repomd.xml and then repomd.xml.asc
    // from the origin itself (the edge never caches the pair); a publication switch between the two
    // requests gives a signature of the next repomd.xml ("Bad GPG signature"). Counted and printed, and
    // the only failure tolerated here; the fix belongs in publication (repomd.xml.asc also signing the
    // repomd.xml it supersedes) and is reported to its owner.
    const pairRace = r.failures.filter(
      (f) =>
        f.client.startsWith('dnf') &&
        /repomd\.xml GPG signature verification error: Bad GPG signature/.test(f.output),
    );
    if (pairRace.length)
      console.log(`[soak] repomd.xml/.asc pair race at the origin: ${pairRace.length} dnf update(s)`);
    expect(
      r.failures.filter((f) => !pairRace.includes(f)),
      summary(r),
    ).toEqual([]);
  }, 180_000);

  it('sees failed updates when retention is off (PALLET_RETAIN_SUPERSEDED_HOURS=0)', async () => {
    const r = (await runs)[1];
    report('retention off', r);
    expect(r.updates.length).toBeGreaterThanOrEqual(12);
    expect(r.uploads).toBeGreaterThanOrEqual(8);
    // They fail for the reason under test: an index file the cached InRelease names is gone at the
    // origin (apt falls back from by-hash to the current file and reports its hash or size as wrong).
    const byHash = r.failures.filter(
      (f) =>
        f.client.startsWith('apt') && /Hash Sum mismatch|unexpected size|404\s+Not Found/i.test(f.output),
    );
    expect(byHash.length, summary(r)).toBeGreaterThan(0);
  }, 180_000);
});
