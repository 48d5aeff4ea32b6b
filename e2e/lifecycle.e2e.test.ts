// Release life cycle with the real clients: a package copied from testing to stable installs from stable
// with apt, and an rpm copied into another repository installs with dnf under that repository's key, a restore to an earlier publication makes
// apt's candidates the earlier versions again, and a frozen distribution refuses an upload with 423 while
// it keeps serving. One server for the file; each scenario has its own distributions.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, PalletClient, type SetupInfo } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AptEnv, createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { requireTools } from './support/rpm-tools';
import { type RunningPallet, startPallet } from './support/server';

retryStaleConnections();

const ORG = 'acme';
const REPO = 'releases';
let pallet: RunningPallet;
let work: string;
let api: PalletClient;

async function publishedUpload(file: string, distribution: string) {
  const up = await api.uploadPackage(ORG, REPO, file, { distribution });
  expect(up.status).toBe(202);
  const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
  expect(pkg.status, pkg.error).toBe('published');
  return pkg;
}

/** apt pointed at a distribution of the repository through its setup answer, with the keyring on disk. */
async function aptFor(name: string, distribution: string): Promise<AptEnv> {
  const setup = await api.setup(ORG, REPO, distribution);
  const keyring = join(work, `${name}.gpg`);
  writeFileSync(keyring, Buffer.from(await (await fetch(setup.keyringUrl)).arrayBuffer()));
  const env = createAptEnv(join(work, name));
  env.setSources(setup.apt!.sourcesLine.replace(/signed-by=[^\]]+/, `signed-by=${keyring}`));
  return env;
}

function aptUpdate(env: AptEnv) {
  const update = env.run('apt-get', ['update']);
  expect(problems(update.output), update.output).toEqual([]);
  expect(update.code, update.output).toBe(0);
}

/** A real install into a throwaway dpkg root (no maintainer scripts, no dependencies). */
function aptInstall(env: AptEnv, pkg: string) {
  const root = join(env.dir, 'root');
  for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  return env.run('apt-get', [
    'install',
    '-y',
    '-o',
    `Dir::State::status=${root}/var/lib/dpkg/status`,
    '-o',
    `DPkg::Options::=--root=${root}`,
    '-o',
    'DPkg::Options::=--force-unsafe-io',
    '-o',
    `DPkg::Options::=--log=${env.dir}/dpkg.log`,
    '-o',
    'DPkg::Options::=--force-not-root',
    pkg,
  ]);
}

const candidate = (env: AptEnv, pkg: string) =>
  /Candidate: (\S+)/.exec(env.run('apt-cache', ['policy', pkg]).output)?.[1];

async function currentPublication(distribution: string): Promise<string> {
  const dists = await api.listDistributions(ORG, REPO);
  return dists.find((d) => d.name === distribution)!.currentPublicationId!;
}

/** Waits until the distribution's current publication is another one than `previous`. */
async function nextPublication(distribution: string, previous: string | null): Promise<string> {
  const until = Date.now() + 60_000;
  for (;;) {
    const current = await currentPublication(distribution);
    if (current && current !== previous) return current;
    if (Date.now() > until) throw new Error(`no new publication of ${distribution}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  requireTools(['apt-get', 'dpkg-deb', 'rpm', 'rpmbuild', 'dnf']);
  pallet = await startPallet('lifecycle');
  work = mkdtempSync(join(tmpdir(), 'pallet-lifecycle-e2e-'));
  const anon = new PalletClient(pallet.baseUrl);
  const signup = await anon.signup('owner@acme.test', 'correct horse battery staple', ORG);
  api = anon.withToken(signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public' });
  await api.createRepository(ORG, { name: 'prod', visibility: 'public' });
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('release life cycle with the real clients', () => {
  it('a .deb copied from testing to stable installs from stable with apt', async () => {
    const pkg = await publishedUpload(
      buildDeb(work, { name: 'pallet-promo', version: '1.0-1' }),
      'debian/testing',
    );
    const copy = await api.copyPackage(ORG, REPO, pkg.id, { distribution: 'debian/stable' });
    expect(copy.status).toBe(202);
    expect(copy.data).toMatchObject({
      distribution: 'debian/stable',
      sha256: pkg.sha256,
      copiedFrom: pkg.id,
    });
    expect((await api.waitForPackage(ORG, REPO, copy.data.id, 60_000)).status).toBe('published');
    const env = await aptFor('apt-stable', 'debian/stable');
    aptUpdate(env);
    expect(candidate(env, 'pallet-promo')).toBe('1.0-1');
    const install = aptInstall(env, 'pallet-promo');
    expect(install.code, install.output).toBe(0);
    expect(install.output).toMatch(/Setting up pallet-promo \(1\.0-1\)/);
  }, 180_000);

  it("an rpm copied from testing to stable of another repository is signed with that repository's key and installs with dnf", async () => {
    const file = buildRpm(work, { name: 'pallet-promo', version: '1.0', release: '1', arch: 'noarch' });
    const pkg = await publishedUpload(file, 'el/testing');
    const copy = await api.copyPackage(ORG, REPO, pkg.id, { repo: 'prod', distribution: 'el/stable' });
    expect(copy.status).toBe(202);
    // Same upload, no re-upload: the reported sha256 is the uploaded file's.
    expect(copy.data.sha256).toBe(pkg.sha256);
    const copied = await api.waitForPackage(ORG, 'prod', copy.data.id, 60_000);
    expect(copied.status, copied.error).toBe('published');
    const setup: SetupInfo = await api.setup(ORG, 'prod', 'el/stable');
    // Served bytes differ from both the upload and the source's copy: signed again, with prod's key.
    const served = async (base: string, name: string) =>
      createHash('sha256')
        .update(Buffer.from(await (await fetch(`${base}/${name}`)).arrayBuffer()))
        .digest('hex');
    const testing = await api.setup(ORG, REPO, 'el/testing');
    const inProd = await served(setup.baseUrl, copied.filename!);
    expect(inProd).not.toBe(pkg.sha256);
    expect(inProd).not.toBe(await served(testing.baseUrl, pkg.filename!));
    const keyFile = join(work, 'prod-key.asc');
    writeFileSync(keyFile, await (await fetch(setup.keyUrl)).text());
    const env = createDnfEnv(join(work, 'dnf-stable'), {
      repoId: `${ORG}-prod`,
      repoFile: setup.yum!.repoFile,
      keyFile,
      releasever: '9',
    });
    const install = env.dnf(['install', 'pallet-promo']);
    expect(install.code, install.output).toBe(0);
    expect(env.rpm(['-q', 'pallet-promo']).output).toMatch(/pallet-promo-1\.0-1\.noarch/);
  }, 180_000);

  it('after a restore to an earlier publication, apt-get update succeeds and the earlier versions are the candidates', async () => {
    const dist = 'debian/bookworm';
    await publishedUpload(buildDeb(work, { name: 'pallet-app', version: '1.0-1' }), dist);
    await publishedUpload(buildDeb(work, { name: 'pallet-lib', version: '1.0-1' }), dist);
    const good = await currentPublication(dist);
    await publishedUpload(buildDeb(work, { name: 'pallet-app', version: '2.0-1' }), dist);
    await publishedUpload(buildDeb(work, { name: 'pallet-lib', version: '2.0-1' }), dist);
    const bad = await currentPublication(dist);
    const env = await aptFor('apt-restore', dist);
    aptUpdate(env);
    expect(candidate(env, 'pallet-app')).toBe('2.0-1');
    const plan = await api.previewRestore(ORG, REPO, good);
    expect(plan.remove.map((p) => `${p.name} ${p.version}`).sort()).toEqual([
      'pallet-app 2.0-1',
      'pallet-lib 2.0-1',
    ]);
    const restore = await api.restorePublication(ORG, REPO, good);
    expect(restore.status).toBe(202);
    expect(restore.data.distribution).toBe(dist);
    const restored = await nextPublication(dist, bad);
    expect(restored).not.toBe(good);
    aptUpdate(env);
    expect(candidate(env, 'pallet-app')).toBe('1.0-1');
    expect(candidate(env, 'pallet-lib')).toBe('1.0-1');
    const audit = await api.request<{ items: { action: string }[] }>('GET', `/orgs/${ORG}/audit?limit=50`);
    expect(audit.data.items.map((e) => e.action)).toContain('publication.restore');
  }, 180_000);

  it('a frozen distribution refuses an upload with 423 and still serves', async () => {
    const dist = 'debian/trixie';
    await publishedUpload(buildDeb(work, { name: 'pallet-ice', version: '1.0-1' }), dist);
    const frozen = await api.updateDistribution(ORG, REPO, dist, { frozen: true });
    expect(frozen.frozen).toBe(true);
    const refused = await api
      .uploadPackage(ORG, REPO, buildDeb(work, { name: 'pallet-ice', version: '2.0-1' }), {
        distribution: dist,
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(423);
    expect((refused as ApiError).code).toBe('distribution_frozen');
    const env = await aptFor('apt-frozen', dist);
    aptUpdate(env);
    expect(candidate(env, 'pallet-ice')).toBe('1.0-1');
    await api.updateDistribution(ORG, REPO, dist, { frozen: false });
    await publishedUpload(buildDeb(work, { name: 'pallet-ice', version: '2.0-1' }), dist);
  }, 180_000);
});
