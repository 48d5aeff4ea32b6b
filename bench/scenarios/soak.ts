// The long soak (issue 10; the short one is e2e/soak.e2e.test.ts): apt-get update and dnf makecache
// loops arriving at random times through the shipped edge, which caches InRelease longer than
// everything else, while a package is published every 2 s; once with by-hash retention (expected: no
// failed update) and once with PALLET_RETAIN_SUPERSEDED_HOURS=0 (expected: failures, proving the
// soak sees them). Both runs at once, each with its own instance and edge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryStaleConnections } from '../../e2e/support/fetch-retry';
import { buildSoakPackages, type SoakPackages, soakThroughEdge } from '../../e2e/support/soak';
import { report } from '../lib/report';

const durationMs = Number(process.argv[2] || 120) * 1000;
const PUBLISH_EVERY_MS = 2000;
retryStaleConnections();

function soak(label: string, env: Record<string, string>, packages: SoakPackages) {
  return soakThroughEdge(label, env, {
    packages,
    durationMs,
    aptClients: 3,
    dnfClients: 3,
    publishEveryMs: PUBLISH_EVERY_MS,
    minUpdatesPerClient: 5,
  });
}

const work = mkdtempSync(join(tmpdir(), 'pallet-bench-soak-'));
try {
  const packages = buildSoakPackages(work, durationMs, PUBLISH_EVERY_MS);
  const [on, off] = await Promise.all([
    soak('bench_soak_on', {}, packages),
    soak('bench_soak_off', { PALLET_RETAIN_SUPERSEDED_HOURS: '0' }, packages),
  ]);
  for (const [label, r, expected] of [
    ['by-hash retention on', on, 'expected 0 failed'],
    ['by-hash retention off', off, 'expected failures'],
  ] as const) {
    const count = (kind: string, failed: boolean) =>
      r.updates.filter((u) => u.client.startsWith(kind) && (!failed || !u.ok)).length;
    report({
      scenario: `soak ${durationMs / 1000} s, ${label}`,
      packages: r.uploads,
      ms: durationMs,
      note:
        `${r.updates.length} updates through the edge (apt-get ${count('apt', false)}, dnf ${count('dnf', false)}), ` +
        `${r.failures.length} failed (apt-get ${count('apt', true)}, dnf ${count('dnf', true)}); ${expected}`,
    });
  }
  if (on.failures.length > 0 || off.failures.length === 0) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
