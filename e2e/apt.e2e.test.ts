// The foundation's user story with the real apt: sign up, create a repository, upload .debs, install
// with signature checks on, upgrade, delete — and apt refusing a tampered index.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAptEnv, problems } from './support/apt';
import { cliCommand } from './support/cli';
import { buildDeb } from './support/deb-builder';
import { retryStaleConnections } from './support/fetch-retry';
import { type RunningPallet, startPallet, waitForServeRecheck } from './support/server';

retryStaleConnections();

let pallet: RunningPallet;
let work: string;
let api: PalletClient;
let token: string;
const ORG = 'acme';
const REPO = 'tools';
const DIST = 'debian/bookworm';

function sha256(file: string) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The storage key behind a path of the current publication. */
async function currentKey(path: string): Promise<string> {
  const client = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await client.connect();
  try {
    const r = await client.query<{ storageKey: string }>(
      `SELECT f."storageKey" FROM "PublicationFile" f JOIN "Distribution" d ON d."currentPublicationId" = f."publicationId" WHERE f.path = $1`,
      [path],
    );
    if (!r.rows[0]) throw new Error(`no current file ${path}`);
    return r.rows[0].storageKey;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  pallet = await startPallet('apt');
  work = mkdtempSync(join(tmpdir(), 'pallet-apt-e2e-'));
  api = new PalletClient(pallet.baseUrl);
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signed APT repository, end to end with apt-get', () => {
  let setup: Awaited<ReturnType<PalletClient['setup']>>;
  let keyFile: string;
  const apt = () => createAptEnv(join(work, 'apt'));

  it('signs up, creates a public repository and publishes an uploaded .deb', async () => {
    const signup = await api.signup('owner@acme.test', 'correct horse battery staple', ORG);
    expect(signup.token).toMatch(/^plt_/);
    api = api.withToken(signup.token);
    token = signup.token;
    const repo = await api.createRepository(ORG, { name: REPO, visibility: 'public' });
    expect(repo.slug).toBe(REPO);

    const deb = buildDeb(work, { name: 'pallet-hello', version: '1.0-1' });
    const upload = await api.uploadPackage(ORG, REPO, deb, { distribution: DIST });
    expect(upload.status).toBe(202);
    expect(upload.data).toMatchObject({
      format: 'deb',
      name: 'pallet-hello',
      version: '1.0-1',
      status: 'processing',
      sha256: sha256(deb),
    });
    const again = await api.uploadPackage(ORG, REPO, deb, { distribution: DIST });
    expect(again.status).toBe(200);
    expect(again.data.id).toBe(upload.data.id);
    const published = await api.waitForPackage(ORG, REPO, upload.data.id);
    expect(published.status).toBe('published');
  });

  it('hands out a setup answer whose key and sources line work with apt-get update', async () => {
    setup = await api.setup(ORG, REPO, DIST);
    expect(setup.format).toBe('deb');
    expect(setup.apt?.sourcesLine).toBe(
      `deb [signed-by=/usr/share/keyrings/${ORG}-${REPO}.gpg] ${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/debian bookworm main`,
    );
    expect(setup.keyFingerprints[0]).toMatch(/^[0-9A-F]{40}$/);
    expect(setup.script).toContain('apt-get update');
    expect(setup.script).toContain(setup.keyringUrl);
    writeFileSync(join(work, 'install.sh'), setup.script);
    expect(spawnSync('sh', ['-n', join(work, 'install.sh')]).status).toBe(0);
    const key = await fetch(setup.keyringUrl);
    expect(key.status).toBe(200);
    keyFile = join(work, 'repo-key.gpg');
    writeFileSync(keyFile, Buffer.from(await key.arrayBuffer()));
    const env = apt();
    env.setSources(setup.apt!.sourcesLine.replace(`/usr/share/keyrings/${ORG}-${REPO}.gpg`, keyFile));
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output)).toEqual([]);
    expect(update.code).toBe(0);
    const policy = env.run('apt-cache', ['policy', 'pallet-hello']);
    expect(policy.output).toMatch(/Candidate: 1\.0-1/);
    const download = env.run('apt-get', ['download', 'pallet-hello']);
    expect(download.code, download.output).toBe(0);
    const fetched = readdirSync(join(env.dir, 'download')).filter((f) => f.endsWith('.deb'));
    expect(fetched).toEqual(['pallet-hello_1.0-1_all.deb']);
  });

  it('serves index files with validators and pool files as immutable', async () => {
    const inRelease = await fetch(`${setup.baseUrl}/dists/bookworm/InRelease`);
    expect(inRelease.headers.get('cache-control')).toMatch(/max-age=60/);
    const etag = inRelease.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const text = await inRelease.text();
    expect(text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n')).toBe(true);
    expect(text).toMatch(/Acquire-By-Hash: yes/);
    const notModified = await fetch(`${setup.baseUrl}/dists/bookworm/InRelease`, {
      headers: { 'if-none-match': etag },
    });
    expect(notModified.status).toBe(304);
    const pkgs = await api.listPackages(ORG, REPO);
    const pool = await fetch(`${setup.baseUrl}/${pkgs.items[0]!.filename}`, {
      headers: { range: 'bytes=0-7' },
    });
    expect(pool.status).toBe(206);
    expect(pool.headers.get('cache-control')).toContain('immutable');
    expect(await pool.text()).toBe('!<arch>\n');
  });

  it('lets apt pick a newer version and forget a deleted one', async () => {
    // The newer version goes up through the CI client, the way a pipeline would push it.
    const newer = buildDeb(work, { name: 'pallet-hello', version: '1.1-1' });
    const { command, args } = cliCommand();
    const cli = spawnSync(command, [...args, 'push', `${ORG}/${REPO}`, DIST, newer], {
      env: { ...process.env, PALLET_TOKEN: token, PALLET_URL: pallet.baseUrl },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('published: pallet-hello 1.1-1');
    const up = {
      data: (await api.listPackages(ORG, REPO, { q: 'pallet-hello' })).items.find(
        (p) => p.version === '1.1-1',
      )!,
    };
    const env = apt();
    let update = env.run('apt-get', ['update']);
    expect(problems(update.output)).toEqual([]);
    expect(env.run('apt-cache', ['policy', 'pallet-hello']).output).toMatch(/Candidate: 1\.1-1/);

    expect(await api.deletePackage(ORG, REPO, up.data.id)).toBe(202);
    const until = Date.now() + 30_000;
    while ((await api.listPackages(ORG, REPO)).items.some((p) => p.id === up.data.id)) {
      if (Date.now() > until) throw new Error('deleted package still listed');
      await new Promise((r) => setTimeout(r, 200));
    }
    update = env.run('apt-get', ['update']);
    expect(problems(update.output)).toEqual([]);
    const policy = env.run('apt-cache', ['policy', 'pallet-hello']).output;
    expect(policy).toMatch(/Candidate: 1\.0-1/);
    expect(policy).not.toMatch(/1\.1-1/);
  });

  it('makes apt-get update fail when a Packages index is modified in storage', async () => {
    for (const name of ['Packages', 'Packages.gz']) {
      const key = await currentKey(`dists/bookworm/main/binary-amd64/${name}`);
      const bytes = await pallet.storage.read(key);
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ 0x20;
      await pallet.storage.write(key, bytes);
    }
    await waitForServeRecheck();
    const env = createAptEnv(join(work, 'apt-tamper'));
    env.setSources(setup.apt!.sourcesLine.replace(`/usr/share/keyrings/${ORG}-${REPO}.gpg`, keyFile));
    const update = env.run('apt-get', ['update']);
    expect(update.output).toMatch(/Hash Sum mismatch|unexpected size|File has unexpected size/);
    expect(problems(update.output).length).toBeGreaterThan(0);
  });

  it('makes apt-get update fail when InRelease is modified in storage', async () => {
    const key = await currentKey('dists/bookworm/InRelease');
    const text = (await pallet.storage.read(key)).toString('utf8');
    await pallet.storage.write(key, text.replace('Components: main', 'Components: main evil'));
    await waitForServeRecheck();
    const env = createAptEnv(join(work, 'apt-tamper-release'));
    env.setSources(setup.apt!.sourcesLine.replace(`/usr/share/keyrings/${ORG}-${REPO}.gpg`, keyFile));
    const update = env.run('apt-get', ['update']);
    expect(update.output).toMatch(/BADSIG|signature|not signed/i);
    expect(problems(update.output).length).toBeGreaterThan(0);
  });
});
