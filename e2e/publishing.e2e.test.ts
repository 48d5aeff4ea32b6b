// Publishing as a CI job and a fleet of machines meet it, with the real clients: files pushed one after
// another are followed at once by a clean `apt-get update` / `dnf makecache` whose signed index is
// dated no later than the clock (a Release "not valid yet" breaks every apt-get update), and arch-all
// packages reach machines of an architecture the distribution has no index for.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { requireTools } from './support/rpm-tools';
import { type RunningPallet, startPallet } from './support/server';

retryStaleConnections();

let pallet: RunningPallet;
let work: string;
let api: PalletClient;
let debs: string[];
let rpms: string[];
const ORG = 'ci';
const SEQUENCE = 40;
// rpmbuild takes about a second a package here: 20 in sequence already put the old Date 10 s ahead.
const RPM_SEQUENCE = 20;

beforeAll(async () => {
  requireTools(['rpmbuild', 'dnf']);
  // Packages are built first: dpkg-deb and rpmbuild run synchronously, and a client whose event loop
  // is blocked that long finds its idle keep-alive connections closed under it.
  work = mkdtempSync(join(tmpdir(), 'pallet-publishing-e2e-'));
  debs = Array.from({ length: SEQUENCE }, (_, i) =>
    buildDeb(work, { name: `ci-tool-${i}`, version: '1.0-1', arch: 'amd64' }),
  );
  rpms = Array.from({ length: RPM_SEQUENCE }, (_, i) =>
    buildRpm(work, { name: `ci-rpm-${i}`, version: '1.0', release: '1', arch: 'noarch' }),
  );
  pallet = await startPallet('publishing');
  api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('owner@ci.test', 'correct horse battery staple', ORG);
  api = api.withToken(signup.token);
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Uploads the files strictly one after another; returns the last upload's package id. */
async function uploadInSequence(repo: string, distribution: string, files: string[]): Promise<string> {
  let last = '';
  for (const file of files) {
    const up = await api.uploadPackage(ORG, repo, file, { distribution });
    expect(up.status).toBe(202);
    last = up.data.id;
  }
  return last;
}

/** Polls (no fixed sleep) until the package is in the signed index. */
async function waitPublished(repo: string, id: string): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const pkg = await api.getPackage(ORG, repo, id);
    if (pkg.status === 'published') return;
    if (pkg.status !== 'processing') throw new Error(`package ${id} is ${pkg.status}: ${pkg.error}`);
    if (Date.now() > until) throw new Error(`package ${id} still processing after 60 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function aptFor(repo: string, dir: string, architecture?: string) {
  const setup = await api.setup(ORG, repo, 'debian/bookworm');
  const keyFile = join(work, `${repo}.gpg`);
  writeFileSync(keyFile, Buffer.from(await (await fetch(setup.keyringUrl)).arrayBuffer()));
  const env = createAptEnv(join(work, dir), { architecture });
  env.setSources(setup.apt!.sourcesLine.replace(/signed-by=[^\]]+/, `signed-by=${keyFile}`));
  return { env, setup };
}

/** The one file under `dir` whose path matches. */
function fileUnder(dir: string, pattern: RegExp): string {
  const found = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(join(e.parentPath, e.name)))
    .map((e) => join(e.parentPath, e.name));
  if (found.length !== 1) throw new Error(`expected one file matching ${pattern} under ${dir}: ${found}`);
  return found[0]!;
}

const releaseDate = (inRelease: string) =>
  Date.parse(/^Date: (.+)$/m.exec(inRelease)![1]!.replace(/ UTC$/, ' GMT'));

describe('a CI job pushing packages one after another', () => {
  it('leaves an InRelease dated no later than the clock: apt-get update right after the last upload is clean', async () => {
    await api.createRepository(ORG, { name: 'debs', visibility: 'public' });
    const { env } = await aptFor('debs', 'apt-sequence');
    const last = await uploadInSequence('debs', 'debian/bookworm', debs);
    await waitPublished('debs', last);

    const update = env.run('apt-get', ['update']);
    const clock = Date.now();
    expect(problems(update.output), update.output).toEqual([]);
    expect(update.code).toBe(0);
    // The InRelease apt just fetched and verified.
    const inRelease = readFileSync(fileUnder(join(env.dir, 'state/lists'), /_InRelease$/), 'utf8');
    expect(releaseDate(inRelease)).toBeLessThanOrEqual(clock);
    const policy = env.run('apt-cache', ['policy', `ci-tool-${SEQUENCE - 1}`]);
    expect(policy.output).toMatch(/Candidate: 1\.0-1/);
    // Publications were coalesced, not one per upload: at most one per distribution per second.
    const pubs = await api.listPublications(ORG, 'debs', 'debian/bookworm');
    expect(pubs.length).toBeLessThan(SEQUENCE);
  });

  it('leaves repomd.xml revision and timestamps no later than the clock: dnf makecache right after is clean', async () => {
    await api.createRepository(ORG, { name: 'rpms', visibility: 'public' });
    const setup = await api.setup(ORG, 'rpms', 'el/9');
    const keyFile = join(work, 'rpms-key.asc');
    writeFileSync(keyFile, await (await fetch(setup.keyUrl)).text());
    const env = createDnfEnv(join(work, 'dnf-sequence'), {
      repoId: `${ORG}-rpms`,
      repoFile: setup.yum!.repoFile,
      keyFile,
      releasever: '9',
    });
    const before = Date.now();
    const last = await uploadInSequence('rpms', 'el/9', rpms);
    await waitPublished('rpms', last);

    const refresh = env.dnf(['makecache']);
    const clock = Date.now();
    expect(refresh.code, refresh.output).toBe(0);
    // The repomd.xml dnf just fetched and verified.
    const repomd = readFileSync(fileUnder(join(work, 'dnf-sequence'), /\/repodata\/repomd\.xml$/), 'utf8');
    const revision = Number(/<revision>(\d+)<\/revision>/.exec(repomd)![1]) * 1000;
    const stamps = [...repomd.matchAll(/<timestamp>(\d+)<\/timestamp>/g)].map((m) => Number(m[1]) * 1000);
    expect(stamps.length).toBeGreaterThan(0);
    for (const t of [revision, ...stamps]) {
      expect(t).toBeLessThanOrEqual(clock);
      expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    }
    const info = env.dnf(['info', `ci-rpm-${RPM_SEQUENCE - 1}`]);
    expect(info.code, info.output).toBe(0);
  });
});

describe('architecture all', () => {
  it('reaches armhf and s390x machines from a distribution of only arch-all packages, and amd64 ones too', async () => {
    await api.createRepository(ORG, { name: 'noarch', visibility: 'public' });
    const deb = buildDeb(work, { name: 'ci-scripts', version: '2.0-1' });
    const up = await api.uploadPackage(ORG, 'noarch', deb, { distribution: 'debian/bookworm' });
    await waitPublished('noarch', up.data.id);
    const inRelease = await (
      await fetch(`${pallet.baseUrl}/dl/${ORG}/noarch/deb/debian/dists/bookworm/InRelease`)
    ).text();
    expect(inRelease).toMatch(/^Architectures: all amd64 arm64$/m);
    expect(inRelease).not.toMatch(/^No-Support-for-Architecture-all:/m);

    for (const arch of ['armhf', 's390x']) {
      const { env } = await aptFor('noarch', `apt-${arch}`, arch);
      const update = env.run('apt-get', ['update']);
      expect(problems(update.output), update.output).toEqual([]);
      expect(update.code).toBe(0);
      expect(update.output).toMatch(/ all Packages/);
      expect(env.run('apt-cache', ['policy', 'ci-scripts']).output).toMatch(/Candidate: 2\.0-1/);
      const download = env.run('apt-get', ['download', 'ci-scripts']);
      expect(download.code, download.output).toBe(0);
      const fetched = readdirSync(join(env.dir, 'download')).filter((f) => f.endsWith('.deb'));
      expect(fetched).toEqual(['ci-scripts_2.0-1_all.deb']);
      expect(readFileSync(join(env.dir, 'download', fetched[0]!)).equals(readFileSync(deb))).toBe(true);
    }

    // Clients that do not read binary-all (apt < 1.2) still find it in their architecture's index.
    const index = await fetch(
      `${pallet.baseUrl}/dl/${ORG}/noarch/deb/debian/dists/bookworm/main/binary-amd64/Packages`,
    );
    expect(await index.text()).toMatch(/^Package: ci-scripts$/m);
    const { env } = await aptFor('noarch', 'apt-amd64');
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
    expect(env.run('apt-cache', ['policy', 'ci-scripts']).output).toMatch(/Candidate: 2\.0-1/);
  });
});
