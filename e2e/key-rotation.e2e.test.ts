// Issue 11's key life cycle with the real clients: a rotation's transition keeps machines holding only
// the old key and machines holding only the new key working (apt, dnf, zypper); retirement re-signs the
// rpms and shuts out the old key; a machine that installed the keyring package moves over through
// ordinary upgrades; a revocation leaves no served file signed by the revoked key; and no private key
// material appears in logs, API answers, audit details or database columns.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient, type SetupInfo } from '@pallet/api-client';
import { readKeyInfo, verifyCleartext, verifyDetached } from '@pallet/openpgp';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AptEnv, createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { checkRpmSignature, requireTools } from './support/rpm-tools';
import { type RunningPallet, startPallet } from './support/server';
import { createZypperEnv, zypperRefusals } from './support/zypper';

retryStaleConnections();

const ORG = 'acme';
const REPO = 'tools';
const DEB = 'debian/bookworm';
const EL = 'el/9';
const KEYRING = `${ORG}-${REPO}-archive-keyring`;
const PRIVATE = /PRIVATE KEY/;

let pallet: RunningPallet;
let work: string;
let api: PalletClient;
let debSetup: SetupInfo;
let elSetup: SetupInfo;
const answers: unknown[] = [];
const keyFiles: Record<string, { asc: string; armored: string }> = {};

const dl = (path: string) => `${pallet.baseUrl}/dl/${ORG}/${REPO}/${path}`;

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.text();
}

async function bytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Retries `check` until it stops throwing (the worker publishes asynchronously). */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** The armored block of one key out of the served gpg.asc, saved as a file a machine trusts alone. */
async function saveKey(fingerprint: string) {
  const blocks = (await text(dl('gpg.asc'))).split(/(?=-----BEGIN PGP PUBLIC KEY BLOCK-----)/);
  for (const block of blocks) {
    if ((await readKeyInfo(block)).fingerprint !== fingerprint) continue;
    const asc = join(work, `${fingerprint}.asc`);
    writeFileSync(asc, block);
    keyFiles[fingerprint] = { asc, armored: block };
    return;
  }
  throw new Error(`key ${fingerprint} not served`);
}

/** Which of the given keys made the signatures on a distribution's signed indexes right now. */
async function signersOf(fingerprints: string[]) {
  const inRelease = await text(`${debSetup.baseUrl}/dists/bookworm/InRelease`);
  const release = await bytes(`${debSetup.baseUrl}/dists/bookworm/Release`);
  const releaseGpg = await text(`${debSetup.baseUrl}/dists/bookworm/Release.gpg`);
  const repomd = await bytes(`${elSetup.baseUrl}/repodata/repomd.xml`);
  const repomdAsc = await text(`${elSetup.baseUrl}/repodata/repomd.xml.asc`);
  const out = {
    inRelease: [] as string[],
    releaseGpg: [] as string[],
    repomd: [] as string[],
    counts: [0, 0, 0],
  };
  for (const fp of fingerprints) {
    const key = keyFiles[fp]!.armored;
    const checks = [
      await verifyCleartext(inRelease, [key]),
      await verifyDetached(release, releaseGpg, [key]),
      await verifyDetached(repomd, repomdAsc, [key]),
    ];
    out.counts = checks.map((c) => c.signatures.length);
    const good = (i: number) => checks[i]!.signatures.some((s) => s.status === 'good');
    if (good(0)) out.inRelease.push(fp);
    if (good(1)) out.releaseGpg.push(fp);
    if (good(2)) out.repomd.push(fp);
  }
  return out;
}

async function published(name: string, version: string, distribution: string) {
  const list = await api.listPackages(ORG, REPO, { distribution, per_page: '100' });
  const p = list.items.find((i) => i.name === name && i.version === version);
  if (p?.status !== 'published') throw new Error(`${name} ${version} not published in ${distribution}`);
  return p;
}

function aptMachine(name: string, keyring: string): AptEnv {
  const env = createAptEnv(join(work, name));
  env.setSources(debSetup.apt!.sourcesLine.replace(debSetup.apt!.keyringPath, keyring));
  return env;
}

function aptUpdates(env: AptEnv): void {
  const update = env.run('apt-get', ['update']);
  expect(problems(update.output), update.output).toEqual([]);
  expect(update.code, update.output).toBe(0);
}

function aptDownloads(env: AptEnv, pkg: string): void {
  const r = env.run('apt-get', ['download', pkg]);
  expect(r.code, r.output).toBe(0);
}

/** A machine whose signed-by keyring is the file the keyring package installs (a dpkg --root). */
function dpkgRoot(env: AptEnv): string {
  const root = join(env.dir, 'root');
  for (const d of [
    'var/lib/dpkg/info',
    'var/lib/dpkg/updates',
    'var/lib/dpkg/triggers',
    'usr/share/keyrings',
  ])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  return root;
}

function aptInstall(env: AptEnv, root: string, pkg: string) {
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
    'DPkg::Options::=--force-not-root',
    pkg,
  ]);
}

function rpmRepoFile(repoFile: string, keyFile: string): string {
  // The machine holds exactly this key: the .repo file names it instead of the served (current) keys.
  return repoFile.replace(/^gpgkey=.*$/m, `gpgkey=file://${keyFile}`);
}

function dnfInstalls(name: string, keyFile: string, pkg: string) {
  const env = createDnfEnv(join(work, name), {
    repoId: `${ORG}-${REPO}`,
    repoFile: rpmRepoFile(elSetup.yum!.repoFile, keyFile),
    keyFile,
    releasever: '9',
  });
  const install = env.dnf(['install', pkg]);
  expect(install.code, install.output).toBe(0);
  expect(env.rpm(['-q', pkg]).code).toBe(0);
}

function zypperInstalls(name: string, keyFile: string, pkg: string) {
  const env = createZypperEnv(join(work, name), {
    repoId: `${ORG}-${REPO}`,
    repoFile: rpmRepoFile(elSetup.zypper!.repoFile, keyFile),
    keyFile,
  });
  const refresh = env.zypper(['refresh']);
  expect(zypperRefusals(refresh.output), refresh.output).toEqual([]);
  const install = env.zypper(['install', pkg]);
  expect(zypperRefusals(install.output), install.output).toEqual([]);
  expect(install.code, install.output).toBe(0);
}

async function rpmVerifiesWith(filename: string, keyLabel: string, label: string): Promise<boolean> {
  const file = join(work, `${label}.rpm`);
  writeFileSync(file, await bytes(`${elSetup.baseUrl}/${filename}`));
  const check = checkRpmSignature(join(work, `rpmk-${label}`), keyFiles[keyLabel]!.asc, file);
  return check.code === 0 && /digests signatures OK/.test(check.output);
}

beforeAll(async () => {
  requireTools(['rpm', 'rpmkeys', 'rpmbuild', 'dnf', 'zypper']);
  pallet = await startPallet('keys', { PALLET_KEYRING_PACKAGES: 'on' });
  work = mkdtempSync(join(tmpdir(), 'pallet-keys-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@acme.test',
    'correct horse battery staple',
    ORG,
  );
  api = new PalletClient(pallet.baseUrl).withToken(signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public', keyAlgorithm: 'ed25519' });
  await api.uploadPackage(ORG, REPO, buildDeb(work, { name: 'pallet-hello', version: '1.0-1' }), {
    distribution: DEB,
  });
  await api.uploadPackage(
    ORG,
    REPO,
    buildRpm(work, { name: 'pallet-tool', version: '1.0', release: '1', arch: 'noarch' }),
    { distribution: EL },
  );
  await eventually(async () => {
    await published('pallet-hello', '1.0-1', DEB);
    await published('pallet-tool', '1.0-1', EL);
    await published(KEYRING, '1', DEB);
    await published(KEYRING, '1-1', EL);
  });
  debSetup = await api.setup(ORG, REPO, DEB);
  elSetup = await api.setup(ORG, REPO, EL);
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signing keys through their whole life, with apt, dnf and zypper', () => {
  let oldFp: string;
  let newFp: string;
  let aptOld: AptEnv;
  let aptPkg: AptEnv;
  let pkgRoot: string;
  let dnfPkg: ReturnType<typeof createDnfEnv>;
  let firstName: string;
  let retiredName: string;
  const pkgKeyring = () => join(pkgRoot, 'usr/share/keyrings', `${ORG}-${REPO}.gpg`);

  it('hands out a setup answer naming the keyring package, which a machine installs', async () => {
    expect(debSetup.keyringPackage).toEqual({
      name: KEYRING,
      path: `/usr/share/keyrings/${ORG}-${REPO}.gpg`,
    });
    expect(debSetup.apt!.keyringPath).toBe(debSetup.keyringPackage!.path);
    expect(debSetup.script).toContain(`apt-get install -y '${KEYRING}'`);
    expect(elSetup.keyringPackage).toEqual({
      name: KEYRING,
      path: `/etc/pki/rpm-gpg/RPM-GPG-KEY-${ORG}-${REPO}`,
    });
    expect(elSetup.script).toContain(`dnf -y install '${KEYRING}'`);
    const keys = await api.listKeys(ORG, REPO);
    oldFp = keys[0]!.fingerprint;
    await saveKey(oldFp);
    aptOld = aptMachine('apt-old', keyFiles[oldFp]!.asc);
    aptUpdates(aptOld);
    // The machine of the setup script: the keyring file first, then the package that takes it over.
    aptPkg = createAptEnv(join(work, 'apt-pkg'));
    pkgRoot = dpkgRoot(aptPkg);
    writeFileSync(pkgKeyring(), await bytes(dl('gpg.gpg')));
    aptPkg.setSources(debSetup.apt!.sourcesLine.replace(debSetup.apt!.keyringPath, pkgKeyring()));
    aptUpdates(aptPkg);
    const install = aptInstall(aptPkg, pkgRoot, KEYRING);
    expect(install.code, install.output).toBe(0);
    expect(readFileSync(join(pkgRoot, 'var/lib/dpkg/status'), 'utf8')).toMatch(
      new RegExp(`Package: ${KEYRING}\\nStatus: install ok installed[\\s\\S]*Version: 1\\n`),
    );
    // The dnf machine whose .repo file names the key file the keyring rpm installs (the way distributions
    // ship their keys), bootstrapped with the old key, then taken over by the package.
    const rpmKeyFile = join(work, 'dnf-pkg', 'root', elSetup.keyringPackage!.path);
    mkdirSync(join(rpmKeyFile, '..'), { recursive: true });
    writeFileSync(rpmKeyFile, keyFiles[oldFp]!.armored);
    dnfPkg = createDnfEnv(join(work, 'dnf-pkg'), {
      repoId: `${ORG}-${REPO}`,
      repoFile: rpmRepoFile(elSetup.yum!.repoFile, rpmKeyFile),
      keyFile: keyFiles[oldFp]!.asc,
      releasever: '9',
    });
    const dnfInstall = dnfPkg.dnf(['--refresh', 'install', KEYRING]);
    expect(dnfInstall.code, dnfInstall.output).toBe(0);
  });

  it('rotates: both keys sign every index, machines holding either key update and install', async () => {
    const rotated = await api.rotateKey(ORG, REPO);
    answers.push(rotated);
    newFp = rotated.fingerprint;
    expect(rotated.status).toBe('active');
    const keys = await api.listKeys(ORG, REPO);
    answers.push(keys);
    expect(keys.map((k) => [k.fingerprint, k.status])).toEqual([
      [newFp, 'active'],
      [oldFp, 'retiring'],
    ]);
    await saveKey(newFp);
    await eventually(async () => {
      const s = await signersOf([oldFp, newFp]);
      expect(s).toMatchObject({
        inRelease: [oldFp, newFp],
        releaseGpg: [oldFp, newFp],
        repomd: [oldFp, newFp],
      });
      await published(KEYRING, '2', DEB);
      await published(KEYRING, '2-1', EL);
    });
    expect((await text(dl('gpg.asc'))).match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(2);
    aptUpdates(aptOld);
    aptDownloads(aptOld, 'pallet-hello');
    const aptNew = aptMachine('apt-new', keyFiles[newFp]!.asc);
    aptUpdates(aptNew);
    aptDownloads(aptNew, 'pallet-hello');
    // The keyring package's machine upgrades to version 2, which holds both keys.
    aptUpdates(aptPkg);
    const upgrade = aptInstall(aptPkg, pkgRoot, KEYRING);
    expect(upgrade.code, upgrade.output).toBe(0);
    expect(readFileSync(join(pkgRoot, 'var/lib/dpkg/status'), 'utf8')).toMatch(/Version: 2\n/);
    // The dnf machine upgrades its keyring rpm (signed by the key it trusts) and so gets the new key.
    const dnfUpgrade = dnfPkg.dnf(['--refresh', 'upgrade', KEYRING]);
    expect(dnfUpgrade.code, dnfUpgrade.output).toBe(0);
    expect(dnfPkg.rpm(['-q', KEYRING]).output).toMatch(new RegExp(`${KEYRING}-2-1\\.noarch`));
    dnfInstalls('dnf-old', keyFiles[oldFp]!.asc, 'pallet-tool');
    zypperInstalls('zypper-old', keyFiles[oldFp]!.asc, 'pallet-tool');
  });

  it('signs rpms uploaded during the transition with the new key', async () => {
    await api.uploadPackage(
      ORG,
      REPO,
      buildRpm(work, { name: 'pallet-new', version: '1.0', release: '1', arch: 'noarch' }),
      { distribution: EL },
    );
    const p = await eventually(() => published('pallet-new', '1.0-1', EL));
    expect(await rpmVerifiesWith(p.filename!, newFp, 'transition-new')).toBe(true);
    expect(await rpmVerifiesWith(p.filename!, oldFp, 'transition-old')).toBe(false);
    // No manual step: dnf imports the new key from the upgraded keyring file when it meets the package.
    const install = dnfPkg.dnf(['--refresh', 'install', 'pallet-new']);
    expect(install.code, install.output).toBe(0);
  });

  it('retires the old key: re-signed rpms under new names, the old-key machine refused, new-key machines install', async () => {
    const before = await published('pallet-tool', '1.0-1', EL);
    const retired = await api.retireKey(ORG, REPO, oldFp);
    answers.push(retired);
    expect(retired).toMatchObject({ fingerprint: oldFp, status: 'retired' });
    const after = await eventually(async () => {
      const s = await signersOf([oldFp, newFp]);
      expect(s).toMatchObject({
        inRelease: [newFp],
        releaseGpg: [newFp],
        repomd: [newFp],
        counts: [1, 1, 1],
      });
      await published(KEYRING, '3', DEB);
      await published(KEYRING, '3-1', EL);
      const p = await published('pallet-tool', '1.0-1', EL);
      expect(p.filename).not.toBe(before.filename);
      return p;
    });
    expect(after.filename).toMatch(/^Packages\/p\/[0-9a-f]{16}\/pallet-tool-1\.0-1\.noarch\.rpm$/);
    firstName = before.filename!;
    retiredName = after.filename!;
    expect(await rpmVerifiesWith(after.filename!, newFp, 'retired-new')).toBe(true);
    // The previous name keeps its bytes (still signed by the old key) for clients holding the old index.
    expect(await rpmVerifiesWith(before.filename!, oldFp, 'retired-oldname')).toBe(true);
    const refused = aptOld.run('apt-get', ['update']);
    expect(problems(refused.output).join('\n'), refused.output).toMatch(
      /NO_PUBKEY|not signed|signatures were invalid/,
    );
    const aptNew = aptMachine('apt-new-2', keyFiles[newFp]!.asc);
    aptUpdates(aptNew);
    aptDownloads(aptNew, 'pallet-hello');
    // No manual step: the keyring package's machine still updates (it got the new key with version 2)
    // and the ordinary upgrade to version 3 leaves it holding the new key alone.
    aptUpdates(aptPkg);
    const upgrade = aptInstall(aptPkg, pkgRoot, KEYRING);
    expect(upgrade.code, upgrade.output).toBe(0);
    expect(readFileSync(pkgKeyring())).toEqual(await bytes(dl('gpg.gpg')));
    aptUpdates(aptPkg);
    dnfInstalls('dnf-new', keyFiles[newFp]!.asc, 'pallet-tool');
    // The keyring-package dnf machine follows through the retirement with ordinary commands.
    const dnfUpgrade = dnfPkg.dnf(['--refresh', 'upgrade', KEYRING]);
    expect(dnfUpgrade.code, dnfUpgrade.output).toBe(0);
    expect(dnfPkg.rpm(['-q', KEYRING]).output).toMatch(new RegExp(`${KEYRING}-3-1\\.noarch`));
    const reinstall = dnfPkg.dnf(['--refresh', 'install', 'pallet-tool']);
    expect(reinstall.code, reinstall.output).toBe(0);
    zypperInstalls('zypper-new', keyFiles[newFp]!.asc, 'pallet-tool');
  });

  it('revokes the active key: no served file signed by it, every rpm passes rpm -K under the new key', async () => {
    const revoked = await api.revokeKey(ORG, REPO, newFp, 'drill: key copied off a build machine');
    answers.push(revoked);
    expect(revoked).toMatchObject({ fingerprint: newFp, status: 'revoked' });
    const thirdFp = revoked.activeKey!.fingerprint;
    expect(thirdFp).not.toBe(newFp);
    await saveKey(thirdFp);
    const served = await text(dl('gpg.asc'));
    expect(served.match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(1);
    // gpg applies the published revocation certificate: the key shows as revoked (validity `r`).
    const gnupg = join(work, 'gnupg');
    mkdirSync(gnupg, { recursive: true, mode: 0o700 });
    writeFileSync(join(work, 'revoked.asc'), await text(dl('revoked.asc')));
    const gpg = (args: string[]) =>
      spawnSync('gpg', ['--homedir', gnupg, '--batch', ...args], { encoding: 'utf8' });
    expect(gpg(['--import', join(work, 'revoked.asc')]).status).toBe(0);
    const listed = gpg(['--with-colons', '--list-keys', newFp]).stdout;
    expect(listed).toMatch(/^pub:r:/m);
    spawnSync('gpgconf', ['--homedir', gnupg, '--kill', 'gpg-agent']);
    await eventually(async () => {
      const s = await signersOf([newFp, thirdFp]);
      expect(s).toMatchObject({
        inRelease: [thirdFp],
        releaseGpg: [thirdFp],
        repomd: [thirdFp],
        counts: [1, 1, 1],
      });
      await published(KEYRING, '4', DEB);
      const rpms = (await api.listPackages(ORG, REPO, { distribution: EL, per_page: '100' })).items;
      expect(rpms.every((p) => p.status === 'published')).toBe(true);
      for (const [i, p] of rpms.entries()) {
        expect(await rpmVerifiesWith(p.filename!, thirdFp, `revoke-${i}`), p.filename!).toBe(true);
      }
    });
    const rpms = (await api.listPackages(ORG, REPO, { distribution: EL, per_page: '100' })).items;
    for (const [i, p] of rpms.entries())
      expect(await rpmVerifiesWith(p.filename!, newFp, `revoked-${i}`), p.filename!).toBe(false);
    // The name whose bytes the revoked key signed is withdrawn at once; the retired key's stays served.
    expect((await fetch(`${elSetup.baseUrl}/${retiredName}`)).status).toBe(404);
    expect((await fetch(`${elSetup.baseUrl}/${firstName}`)).status).toBe(200);
    const aptThird = aptMachine('apt-third', keyFiles[thirdFp]!.asc);
    aptUpdates(aptThird);
    aptDownloads(aptThird, 'pallet-hello');
  });

  it('keeps private key material out of logs, API answers, audit details and database columns', async () => {
    const audit = await api.request<{ items: { action: string; details: unknown }[] }>(
      'GET',
      `/orgs/${ORG}/audit?limit=200`,
    );
    const actions = audit.data.items.map((i) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining(['signing_key.rotate', 'signing_key.retire', 'signing_key.revoke']),
    );
    expect(JSON.stringify(audit.data)).not.toMatch(PRIVATE);
    expect(JSON.stringify(answers)).not.toMatch(PRIVATE);
    for (const log of ['web.log', 'worker.log']) {
      expect(readFileSync(join(pallet.instance.dir, log), 'utf8')).not.toMatch(PRIVATE);
    }
    const db = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
    await db.connect();
    try {
      const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
          WHERE table_schema = current_schema()
            AND data_type IN ('text', 'jsonb', 'json', 'bytea', 'character varying', 'ARRAY')`,
      );
      expect(columns.rows.length).toBeGreaterThan(10);
      for (const c of columns.rows) {
        const col = `"${c.column_name}"`;
        const test =
          c.data_type === 'bytea'
            ? `position(convert_to('PRIVATE KEY', 'UTF8') in ${col}) > 0`
            : `${col}::text LIKE '%PRIVATE KEY%'`;
        const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${c.table_name}" WHERE ${test}`);
        expect(Number(r.rows[0]!.n), `${c.table_name}.${c.column_name}`).toBe(0);
      }
    } finally {
      await db.end();
    }
  });
});
