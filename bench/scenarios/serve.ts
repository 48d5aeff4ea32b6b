// Serving (issue 10): requests/s for a pool file (~53 KB .deb) and InRelease, public and private
// (read token as HTTP Basic password), from Pallet's origin server without an edge, beside nginx
// serving the same bytes from disk, measured with wrk in the same run. Target: origin >= 25 % of nginx.
// A second nginx with open_file_cache (as the edge caches its own descriptors) is measured beside it.
// Behind the shipped edge (deploy/nginx, `npm run edge`): public >= 80 %, private >= 50 % of nginx.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { buildDeb } from '../../e2e/support/deb-builder';
import { startEdgeFor } from '../../e2e/support/edge';
import { startPallet } from '../../e2e/support/server';
import { startStaticNginx, wrkRequestsPerSecond } from '../lib/http-load';
import { median, reportServing } from '../lib/report';

const ORG = 'bench';
const seconds = Number(process.argv[2] || 2);
const ROUNDS = 3;
const WARM_UP_SECONDS = 4;

const pallet = await startPallet('bench_serve');
const work = mkdtempSync(join(tmpdir(), 'pallet-bench-serve-'));
try {
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'bench@serve.test',
    'bench serve password 1',
    ORG,
  );
  const api = new PalletClient(pallet.baseUrl, signup.token);
  // Random text compresses to about three quarters: a .deb of ~53 KB, like the issue's measurement.
  const deb = buildDeb(work, {
    name: 'bench-serve',
    version: '1.0-1',
    body: randomBytes(52 * 1024).toString('base64'),
  });
  const paths: Record<string, Record<string, string>> = {};
  for (const visibility of ['public', 'private'] as const) {
    const repo = `serve-${visibility}`;
    await api.createRepository(ORG, { name: repo, visibility, keyAlgorithm: 'ed25519' });
    const up = await api.uploadPackage(ORG, repo, deb, { distribution: 'debian/bookworm' });
    const pkg = await api.waitForPackage(ORG, repo, up.data.id, 60_000);
    if (pkg.status !== 'published') throw new Error(`bench package not published: ${pkg.error}`);
    paths[visibility] = {
      pool: `/dl/${ORG}/${repo}/deb/debian/${pkg.filename}`,
      inRelease: `/dl/${ORG}/${repo}/deb/debian/dists/bookworm/InRelease`,
    };
  }
  const { token } = await api.createToken(ORG, { name: 'bench reader', scopes: ['repo:read'] });
  const auth = { authorization: `Basic ${Buffer.from(`bench:${token}`).toString('base64')}` };

  // nginx gets the very bytes Pallet serves, at the same paths.
  const files = new Map<string, Uint8Array>();
  for (const visibility of ['public', 'private'] as const) {
    for (const path of Object.values(paths[visibility]!)) {
      const res = await fetch(`${pallet.baseUrl}${path}`, { headers: visibility === 'private' ? auth : {} });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      files.set(path, new Uint8Array(await res.arrayBuffer()));
    }
  }
  const nginx = await startStaticNginx(files);
  const tuned = await startStaticNginx(files, { openFileCache: true });
  // The shipped edge (deploy/nginx, as `npm run edge` runs it) in front of the same instance, with as
  // many workers as the reference nginx and no access log either.
  const edge = await startEdgeFor(pallet, { workers: 'auto', accessLog: false }, 'bench-edge');
  try {
    const kinds = [
      {
        key: 'pool',
        label: `pool file (${Math.round(files.get(paths.public!.pool!)!.length / 1024)} KB .deb)`,
      },
      { key: 'inRelease', label: 'InRelease' },
    ];
    // A process that has just started (Next.js loaded, JIT cold) needs several seconds of load before
    // it reaches its steady state; nginx does not. Warm every Pallet URL first.
    for (const visibility of ['public', 'private'] as const) {
      for (const path of Object.values(paths[visibility]!)) {
        const headers = visibility === 'private' ? auth : {};
        wrkRequestsPerSecond(`${pallet.baseUrl}${path}`, { seconds: WARM_UP_SECONDS, headers });
      }
    }
    // Other processes on the machine come and go: nginx and Pallet take turns, several short rounds
    // each, and each figure is the median of its rounds, so a load spike does not land on one side.
    for (const kind of kinds) {
      const rounds: Record<string, number[]> = {
        nginx: [],
        tuned: [],
        public: [],
        private: [],
        edgePublic: [],
        edgePrivate: [],
      };
      for (let round = 0; round < ROUNDS; round++) {
        rounds.nginx!.push(wrkRequestsPerSecond(`${nginx.baseUrl}${paths.public![kind.key]}`, { seconds }));
        rounds.tuned!.push(wrkRequestsPerSecond(`${tuned.baseUrl}${paths.public![kind.key]}`, { seconds }));
        for (const visibility of ['public', 'private'] as const) {
          const url = `${pallet.baseUrl}${paths[visibility]![kind.key]}`;
          rounds[visibility]!.push(
            wrkRequestsPerSecond(url, { seconds, headers: visibility === 'private' ? auth : {} }),
          );
          rounds[visibility === 'public' ? 'edgePublic' : 'edgePrivate']!.push(
            wrkRequestsPerSecond(`${edge.url}${paths[visibility]![kind.key]}`, {
              seconds,
              headers: visibility === 'private' ? auth : {},
            }),
          );
        }
      }
      for (const visibility of ['public', 'private'] as const) {
        reportServing({
          setup: 'origin (npm start, no edge)',
          file: kind.label,
          access: visibility === 'public' ? 'public' : 'private (read token)',
          reqPerSec: median(rounds[visibility]!),
          reference: { name: 'nginx, same file from disk', reqPerSec: median(rounds.nginx!) },
          tunedReference: { name: 'nginx with open_file_cache', reqPerSec: median(rounds.tuned!) },
          target: 0.25,
        });
      }
      for (const visibility of ['public', 'private'] as const) {
        reportServing({
          setup: 'behind the shipped edge (npm run edge)',
          file: kind.label,
          access: visibility === 'public' ? 'public' : 'private (read token)',
          reqPerSec: median(rounds[visibility === 'public' ? 'edgePublic' : 'edgePrivate']!),
          reference: { name: 'nginx, same file from disk', reqPerSec: median(rounds.nginx!) },
          tunedReference: { name: 'nginx with open_file_cache', reqPerSec: median(rounds.tuned!) },
          target: visibility === 'public' ? 0.8 : 0.5,
        });
      }
    }
  } finally {
    await edge.stop();
    nginx.stop();
    tuned.stop();
  }
} finally {
  await pallet.stop();
  rmSync(work, { recursive: true, force: true });
}
