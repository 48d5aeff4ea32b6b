// The soak scenario (issue 10), shared by the short run in the end-to-end suite and the long run in
// `npm run bench`: real `apt-get update` and `dnf makecache` loops arriving at random times through the
// shipped edge, while a new package is published every couple of seconds. The edge caches InRelease
// longer than everything else, so apt keeps asking for the by-hash files of superseded publications:
// only the retention period keeps them working. (repomd.xml and repomd.xml.asc are a pair the edge
// never caches: two cache entries from different publications make dnf refuse the signature.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { createAptEnv, problems } from './apt';
import { buildDeb } from './deb-builder';
import { createDnfEnv } from './dnf';
import { startEdgeFor } from './edge';
import { buildRpm } from './rpm-builder';
import { type RunningPallet, startPallet } from './server';

/** The edge TTLs the soak runs with: the signed top-level indexes outlive everything else. */
export const SOAK_EDGE_TTLS = { ttlRelease: '10s', ttlIndex: '1s', ttlImmutable: '1s', authTtl: '1s' };

export interface SoakPackages {
  debs: string[];
  rpms: string[];
}

export interface SoakOptions {
  pallet: RunningPallet;
  /** From buildSoakPackages: enough versions for durationMs / publishEveryMs rounds. */
  packages: SoakPackages;
  edgeUrl: string;
  work: string;
  durationMs: number;
  aptClients: number;
  dnfClients: number;
  /** One new package every this many ms, alternating .deb and .rpm. */
  publishEveryMs: number;
  /** Each client keeps going past durationMs until it has run this many updates (a loaded machine). */
  minUpdatesPerClient: number;
}

export interface SoakUpdate {
  client: string;
  ok: boolean;
  ms: number;
  output: string;
}

export interface SoakResult {
  updates: SoakUpdate[];
  failures: SoakUpdate[];
  uploads: number;
}

const ORG = 'soak';
const REPO = 'fleet';
const DEB_DIST = 'debian/bookworm';
const RPM_DIST = 'el/9';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One .deb and one .rpm version per round of a soak lasting durationMs. */
export function buildSoakPackages(dir: string, durationMs: number, publishEveryMs: number): SoakPackages {
  // Twice the rounds the duration needs: clients may run past it on a loaded machine.
  const rounds = Math.ceil((2 * durationMs) / publishEveryMs) + 2;
  mkdirSync(dir, { recursive: true });
  return {
    debs: Array.from({ length: rounds }, (_, i) => buildDeb(dir, { name: 'soak-app', version: `1.${i}-1` })),
    rpms: Array.from({ length: rounds }, (_, i) =>
      buildRpm(dir, { name: 'soak-app', version: `1.${i}`, release: '1', arch: 'noarch' }),
    ),
  };
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const { debs, rpms } = o.packages;
  const rounds = debs.length;
  const origin = new PalletClient(o.pallet.baseUrl);
  const signup = await origin.signup('owner@soak.test', 'soak owner password 1', ORG);
  const api = origin.withToken(signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public' });
  for (const [file, distribution] of [
    [debs[0]!, DEB_DIST],
    [rpms[0]!, RPM_DIST],
  ] as const) {
    const up = await api.uploadPackage(ORG, REPO, file, { distribution });
    const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
    if (pkg.status !== 'published') throw new Error(`soak: first package not published: ${pkg.error}`);
  }

  const edge = (text: string) => text.split(o.pallet.baseUrl).join(o.edgeUrl);
  const debSetup = await api.setup(ORG, REPO, DEB_DIST);
  const rpmSetup = await api.setup(ORG, REPO, RPM_DIST);
  const debKey = join(o.work, 'deb-key.gpg');
  writeFileSync(debKey, Buffer.from(await (await fetch(edge(debSetup.keyringUrl))).arrayBuffer()));
  const rpmKey = join(o.work, 'rpm-key.asc');
  writeFileSync(rpmKey, await (await fetch(edge(rpmSetup.keyUrl))).text());

  const clients: { name: string; update(): Promise<{ ok: boolean; output: string }> }[] = [];
  const sources = edge(debSetup.apt!.sourcesLine).replace(debSetup.apt!.keyringPath, debKey);
  for (let i = 0; i < o.aptClients; i++) {
    // Every other apt client is a new machine at each update (empty lists): it fetches every index
    // the edge's InRelease names, however old, instead of only those that changed since its last run.
    const fresh = i % 2 === 1;
    let runs = 0;
    const kept = createAptEnv(join(o.work, `apt-${i}`));
    kept.setSources(sources);
    clients.push({
      name: `apt-${i}${fresh ? '-fresh' : ''}`,
      async update() {
        const env = fresh ? createAptEnv(join(o.work, `apt-${i}-${runs++}`)) : kept;
        if (fresh) env.setSources(sources);
        const r = await env.runAsync('apt-get', ['update']);
        return { ok: r.code === 0 && problems(r.output).length === 0, output: r.output };
      },
    });
  }
  for (let i = 0; i < o.dnfClients; i++) {
    const repoId = /^\[([^\]]+)\]/m.exec(rpmSetup.yum!.repoFile)![1]!;
    const env = createDnfEnv(join(o.work, `dnf-${i}`), {
      repoId,
      repoFile: edge(rpmSetup.yum!.repoFile),
      keyFile: rpmKey,
      releasever: '9',
    });
    clients.push({
      name: `dnf-${i}`,
      async update() {
        // --refresh: re-read repomd.xml every time, as a machine past metadata_expire does.
        const r = await env.dnfAsync(['makecache', '--refresh']);
        return { ok: r.code === 0, output: r.output };
      },
    });
  }

  const deadline = Date.now() + o.durationMs;
  const updates: SoakUpdate[] = [];
  let uploads = 0;
  let clientsRunning = clients.length;
  const publisher = (async () => {
    for (let i = 1; i < rounds && clientsRunning > 0; i++) {
      for (const [file, distribution] of [
        [debs[i]!, DEB_DIST],
        [rpms[i]!, RPM_DIST],
      ] as const) {
        const started = Date.now();
        await api.uploadPackage(ORG, REPO, file, { distribution });
        uploads++;
        await sleep(Math.max(0, o.publishEveryMs / 2 - (Date.now() - started)));
      }
    }
  })();
  const loops = clients.map(async (client) => {
    let done = 0;
    while (Date.now() < deadline || done < o.minUpdatesPerClient) {
      await sleep(Math.random() * 1500);
      const started = Date.now();
      const r = await client.update();
      done++;
      updates.push({ client: client.name, ok: r.ok, ms: Date.now() - started, output: r.output });
    }
    clientsRunning--;
  });
  await Promise.all([publisher, ...loops]);
  return { updates, failures: updates.filter((u) => !u.ok), uploads };
}

/** One soak run on an instance of its own behind an edge of its own, with `SOAK_EDGE_TTLS`. */
export async function soakThroughEdge(
  label: string,
  env: Record<string, string>,
  options: Omit<SoakOptions, 'pallet' | 'edgeUrl' | 'work'>,
): Promise<SoakResult> {
  const pallet = await startPallet(label, env);
  const work = mkdtempSync(join(tmpdir(), `pallet-${label}-`));
  try {
    const edge = await startEdgeFor(pallet, SOAK_EDGE_TTLS);
    try {
      return await runSoak({ ...options, pallet, edgeUrl: edge.url, work });
    } finally {
      await edge.stop();
    }
  } finally {
    await pallet.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
