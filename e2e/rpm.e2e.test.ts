// Issue 3's user story with the real clients: upload two rpms (one requiring the other), then dnf and
// zypper install them with every signature check on, `rpm -K` trusts a served package, bad uploads are
// refused without storing anything, and dnf refuses a repository whose metadata was modified in storage.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ApiError, PalletClient, type SetupInfo } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { checkRpmSignature, requireTools } from './support/rpm-tools';
import { type RunningPallet, startPallet, waitForServeRecheck } from './support/server';

retryStaleConnections();

import { createZypperEnv, zypperRefusals } from './support/zypper';

let pallet: RunningPallet;
let work: string;
let api: PalletClient;
const ORG = 'acme';
const REPO = 'tools';
const EL = 'el/9';
const SUSE = 'opensuse/15.6';
const REPO_ID = `${ORG}-${REPO}`;

let lib: string;
let app: string;
let keyFile: string;
let elSetup: SetupInfo;

function sha256(file: string) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The storage key behind a path of the distribution's current publication (`%` wildcards allowed). */
async function currentKey(distribution: string, pathLike: string): Promise<string> {
  const client = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await client.connect();
  try {
    const r = await client.query<{ storageKey: string }>(
      `SELECT f."storageKey" FROM "PublicationFile" f
         JOIN "Distribution" d ON d."currentPublicationId" = f."publicationId"
        WHERE d.format = 'RPM' AND d.name = $1 AND f.path LIKE $2`,
      [distribution, pathLike],
    );
    if (r.rows.length !== 1)
      throw new Error(`expected one current ${pathLike} in ${distribution}, got ${r.rows.length}`);
    return r.rows[0]!.storageKey;
  } finally {
    await client.end();
  }
}

function storedUploads(): Promise<string[]> {
  return pallet.storage.list('uploads');
}

async function expectApiError(p: Promise<unknown>, status: number, code?: RegExp): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) {
    const cause = (err as { cause?: unknown }).cause;
    throw new Error(`expected an API error ${status}, got ${String(err)} (cause: ${String(cause)})`);
  }
  const apiErr = err as ApiError;
  expect(apiErr.status, apiErr.message).toBe(status);
  if (code) expect(apiErr.code).toMatch(code);
  return apiErr;
}

function dnfEnv(name: string) {
  return createDnfEnv(join(work, name), {
    repoId: REPO_ID,
    // The answer's .repo file as is: dnf fetches the key from its gpgkey URL for repo_gpgcheck.
    repoFile: elSetup.yum!.repoFile,
    keyFile,
    releasever: '9',
  });
}

beforeAll(async () => {
  requireTools(['rpm', 'rpmkeys', 'rpmbuild', 'dnf', 'zypper']);
  pallet = await startPallet('rpm');
  work = mkdtempSync(join(tmpdir(), 'pallet-rpm-e2e-'));
  api = new PalletClient(pallet.baseUrl);
  lib = buildRpm(work, { name: 'pallet-lib', version: '1.0', release: '1', arch: 'noarch' });
  app = buildRpm(work, {
    name: 'pallet-app',
    version: '2.1',
    release: '3',
    arch: 'x86_64',
    requires: ['pallet-lib >= 1.0'],
  });
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signed YUM/DNF and zypper repositories, end to end with the real clients', () => {
  it('publishes two uploaded rpms to el/9 and opensuse/15.6', async () => {
    const signup = await api.signup('owner@acme.test', 'correct horse battery staple', ORG);
    api = api.withToken(signup.token);
    await api.createRepository(ORG, { name: REPO, visibility: 'public' });
    const ids: string[] = [];
    for (const distribution of [EL, SUSE]) {
      for (const file of [lib, app]) {
        const up = await api.uploadPackage(ORG, REPO, file, { distribution });
        expect(up.status).toBe(202);
        expect(up.data).toMatchObject({
          format: 'rpm',
          distribution,
          sha256: sha256(file),
          status: 'processing',
        });
        ids.push(up.data.id);
      }
    }
    const [libUp] = ids;
    const libInfo = await api.getPackage(ORG, REPO, libUp!);
    expect(libInfo).toMatchObject({ name: 'pallet-lib', version: '1.0-1', architecture: 'noarch' });
    for (const id of ids) {
      const pkg = await api.waitForPackage(ORG, REPO, id, 60_000);
      expect(pkg.status, pkg.error).toBe('published');
    }
    const listed = await api.listPackages(ORG, REPO, { distribution: EL });
    expect(listed.items.map((p) => p.filename).sort()).toEqual([
      'Packages/p/pallet-app-2.1-3.x86_64.rpm',
      'Packages/p/pallet-lib-1.0-1.noarch.rpm',
    ]);
  });

  it('hands out a setup answer for el/9 with a signed .repo file', async () => {
    elSetup = await api.setup(ORG, REPO, EL);
    expect(elSetup.format).toBe('rpm');
    expect(elSetup.baseUrl).toBe(`${pallet.baseUrl}/dl/${ORG}/${REPO}/rpm/el/9`);
    expect(elSetup.keyUrl).toBe(`${pallet.baseUrl}/dl/${ORG}/${REPO}/gpg.asc`);
    const repoFile = elSetup.yum!.repoFile;
    expect(repoFile).toContain(`[${REPO_ID}]`);
    expect(repoFile).toContain(`baseurl=${elSetup.baseUrl}`);
    expect(repoFile).toMatch(/^gpgcheck=1$/m);
    expect(repoFile).toMatch(/^repo_gpgcheck=1$/m);
    expect(repoFile).toContain(`gpgkey=${elSetup.keyUrl}`);
    const key = await fetch(elSetup.keyUrl);
    expect(key.status).toBe(200);
    keyFile = join(work, 'repo-key.asc');
    writeFileSync(keyFile, await key.text());
    expect(readFileSync(keyFile, 'utf8')).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    const repomdKey = await fetch(`${elSetup.baseUrl}/repodata/repomd.xml.key`);
    expect(repomdKey.status).toBe(200);
  });

  it('lets dnf refresh the repository and install a package with its dependency', () => {
    const env = dnfEnv('dnf');
    const refresh = env.dnf(['makecache']);
    expect(refresh.code, refresh.output).toBe(0);
    const install = env.dnf(['install', 'pallet-app']);
    expect(install.code, install.output).toBe(0);
    expect(install.output).toMatch(/pallet-lib/);
    const q = env.rpm(['-q', 'pallet-app', 'pallet-lib']);
    expect(q.code, q.output).toBe(0);
    expect(q.output).toMatch(/pallet-app-2\.1-3\.x86_64/);
    expect(q.output).toMatch(/pallet-lib-1\.0-1\.noarch/);
    expect(readFileSync(join(env.root, 'usr/share/pallet-app/README'), 'utf8')).toContain('pallet-app 2.1-3');
  });

  it('lets zypper refresh the repository and install a package with its dependency', async () => {
    const setup = await api.setup(ORG, REPO, SUSE);
    const repoFile = setup.zypper!.repoFile;
    for (const line of [
      'type=rpm-md',
      'gpgcheck=1',
      'repo_gpgcheck=1',
      'pkg_gpgcheck=1',
      `gpgkey=${setup.keyUrl}`,
    ]) {
      expect(repoFile).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    const env = createZypperEnv(join(work, 'zypper'), {
      repoId: REPO_ID,
      repoFile,
      keyFile,
    });
    const refresh = env.zypper(['refresh']);
    expect(zypperRefusals(refresh.output), refresh.output).toEqual([]);
    expect(refresh.code, refresh.output).toBe(0);
    const install = env.zypper(['install', 'pallet-app']);
    expect(zypperRefusals(install.output), install.output).toEqual([]);
    expect(install.code, install.output).toBe(0);
    const q = env.rpm(['-q', 'pallet-app', 'pallet-lib']);
    expect(q.code, q.output).toBe(0);
    expect(q.output).toMatch(/pallet-app-2\.1-3\.x86_64/);
    expect(q.output).toMatch(/pallet-lib-1\.0-1\.noarch/);
  });

  it('serves packages whose signatures rpm -K accepts with the repository key', async () => {
    const res = await fetch(`${elSetup.baseUrl}/Packages/p/pallet-app-2.1-3.x86_64.rpm`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const served = join(work, 'served-pallet-app.rpm');
    writeFileSync(served, Buffer.from(await res.arrayBuffer()));
    const check = checkRpmSignature(join(work, 'rpmk'), keyFile, served);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/digests signatures OK/);
    // The upload's digest stays the package's; only the served copy carries the signature.
    expect(sha256(served)).not.toBe(sha256(app));
    const unsigned = checkRpmSignature(join(work, 'rpmk-unsigned'), keyFile, app);
    expect(unsigned.output).not.toMatch(/digests signatures OK/);
  });

  it('refuses a package for a distribution of the other format with a 400', async () => {
    const before = await storedUploads();
    await expectApiError(api.uploadPackage(ORG, REPO, app, { distribution: 'debian/bookworm' }), 400);
    const deb = buildDeb(work, { name: 'pallet-deb', version: '1.0-1' });
    await expectApiError(api.uploadPackage(ORG, REPO, deb, { distribution: EL }), 400);
    expect(await storedUploads()).toEqual(before);
  });

  it('refuses a corrupt rpm with a 422 and stores nothing', async () => {
    const before = await storedUploads();
    const good = readFileSync(lib);
    const dir = join(work, 'bad');
    mkdirSync(dir, { recursive: true });
    // A damaged main header (its SHA-256 in the signature header no longer matches) and a truncation.
    const damaged = Buffer.from(good);
    const mainStart =
      96 + Math.ceil((16 + 16 * damaged.readUInt32BE(96 + 8) + damaged.readUInt32BE(96 + 12)) / 8) * 8;
    // A byte of the main header's data store (past its 16-byte intro and index entries).
    const inData = mainStart + 16 + 16 * damaged.readUInt32BE(mainStart + 8) + 24;
    damaged.writeUInt8(damaged.readUInt8(inData) ^ 0x55, inData);
    writeFileSync(join(dir, 'damaged.rpm'), damaged);
    writeFileSync(join(dir, 'truncated.rpm'), good.subarray(0, mainStart + 100));
    for (const name of ['damaged.rpm', 'truncated.rpm']) {
      const err = await expectApiError(
        api.uploadPackage(ORG, REPO, join(dir, name), { distribution: EL }),
        422,
      );
      expect(err.message.length).toBeGreaterThan(10);
    }
    expect(await storedUploads()).toEqual(before);
    const listed = await api.listPackages(ORG, REPO, { distribution: EL });
    expect(listed.total).toBe(2);
  });

  it('makes dnf refuse the repository when primary.xml.gz is modified in storage', async () => {
    const key = await currentKey(EL, 'repodata/%-primary.xml.gz');
    const xml = gunzipSync(await pallet.storage.read(key)).toString('utf8');
    await pallet.storage.write(
      key,
      gzipSync(xml.replace('pallet-lib test package', 'pallet-lib evil package')),
    );
    await waitForServeRecheck();
    const env = dnfEnv('dnf-tamper-primary');
    const refresh = env.dnf(['makecache']);
    expect(refresh.code, refresh.output).not.toBe(0);
    expect(refresh.output).toMatch(/checksum doesn't match/);
    expect(refresh.output).toMatch(/Failed to download metadata for repo 'acme-tools'/);
  });

  it('makes dnf and zypper refuse the repository when repomd.xml is modified in storage', async () => {
    for (const distribution of [EL, SUSE]) {
      const key = await currentKey(distribution, 'repodata/repomd.xml');
      const xml = (await pallet.storage.read(key)).toString('utf8');
      const revision = /<revision>(\d+)<\/revision>/.exec(xml)?.[1];
      expect(revision).toBeTruthy();
      await pallet.storage.write(
        key,
        xml.replace(`<revision>${revision}</revision>`, `<revision>${Number(revision) + 1}</revision>`),
      );
    }
    await waitForServeRecheck();
    const refresh = dnfEnv('dnf-tamper-repomd').dnf(['makecache']);
    expect(refresh.code, refresh.output).not.toBe(0);
    expect(refresh.output).toMatch(/repomd\.xml GPG signature verification error: Bad GPG signature/);

    const setup = await api.setup(ORG, REPO, SUSE);
    const env = createZypperEnv(join(work, 'zypper-tamper-repomd'), {
      repoId: REPO_ID,
      repoFile: setup.zypper!.repoFile,
      keyFile,
    });
    const zypper = env.zypper(['refresh']);
    expect(zypper.code, zypper.output).not.toBe(0);
    expect(zypper.output).toMatch(/Signature verification failed for file 'repomd\.xml'/);
  });
});
