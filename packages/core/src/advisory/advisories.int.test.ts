// OSV import and vulnerability findings against the real PostgreSQL: incremental import from a zip, a
// directory and a URL; findings through source packages with the fixed version; a newer upload clears the
// repository's view; a new advisory flags a package that was clean, with an audit event; upload policies
// refuse or quarantine during the upload and every decision is audited.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { InvalidPackage } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { copyPackage } from '../package/copy-package';
import { deletePackage } from '../package/delete-package';
import { getPackage } from '../package/get-package';
import { releasePackage } from '../package/release-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { updatePolicy } from '../policy/update-policy';
import { createRepository } from '../repository/create-repository';
import { getRepository } from '../repository/get-repository';
import { authenticateToken } from '../token/authenticate-token';
import { createWebhook } from '../webhook/create-webhook';
import { importAdvisories } from './import-advisories';
import { listVulnerabilities } from './list-vulnerabilities';
import { rescanAfterAdvisoryChange } from './rescan-packages';
import { scanPackage } from './scan-package';

const FIXTURES = join(import.meta.dirname, 'fixtures/osv');
let ctx: CoreContext;
let owner: Actor;
let work: string;

function buildDeb(fields: Record<string, string>): Uint8Array {
  const root = join(work, `${fields.Package}-${fields.Version}`.replace(/[:~]/g, '_'));
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  const control = Object.entries({
    Architecture: 'amd64',
    Maintainer: 'T <t@example.test>',
    Description: 'test',
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  writeFileSync(join(root, 'DEBIAN/control'), `${control}\n`);
  writeFileSync(join(root, 'file.txt'), root);
  const out = `${root}.deb`;
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore' });
  return readFileSync(out);
}

async function upload(repo: string, bytes: Uint8Array, distribution = 'debian/bookworm') {
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  return uploadPackage(ctx, owner, 'acme', repo, staged, { distribution });
}

/** A Debian advisory rated critical (CVSS 9.8) for one package, fixed in `fixed`. */
function criticalAdvisory(id: string, name: string, fixed: string): string {
  return osvDir({
    [`${id}.json`]: {
      id,
      modified: '2026-01-02T00:00:00Z',
      summary: `${name} - security update`,
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [
        {
          package: { ecosystem: 'Debian:12', name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        },
      ],
    },
  });
}

function osvDir(records: Record<string, object>): string {
  const dir = mkdtempSync(join(work, 'osv-'));
  for (const [name, rec] of Object.entries(records)) writeFileSync(join(dir, name), JSON.stringify(rec));
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-advisories-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const a = await signUp(ctx, { email: 'owner@acme.test', password: 'long enough password', org: 'acme' });
  owner = await authenticateToken(ctx, a.token);
  for (const name of ['scan', 'policy'])
    await createRepository(ctx, owner, 'acme', { name, keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('importing OSV advisories', () => {
  it('imports a zip, skips unchanged records on the next import, and takes newer ones', async () => {
    const zip = join(work, 'osv-fixtures.zip');
    execFileSync('zip', [
      '-q',
      '-j',
      zip,
      ...['DSA-5514-1', 'ALSA-2023-5453', 'SUSE-SU-2023-3952-1', 'USN-6409-1'].map((f) =>
        join(FIXTURES, `${f}.json`),
      ),
    ]);
    const first = await importAdvisories(ctx, zip);
    expect(first).toMatchObject({ read: 4, imported: 4, unchanged: 0, invalid: 0 });
    expect(first.packageNames).toEqual(['glibc', 'glibc-common', 'nscd']);
    const stored = await ctx.db.advisory.findUniqueOrThrow({
      where: { id: 'DSA-5514-1' },
      include: { affected: true },
    });
    expect(stored.aliases).toContain('CVE-2023-4911');
    expect(stored.affected.map((a) => a.ecosystem).sort()).toEqual(['Debian:11', 'Debian:12']);

    const again = await importAdvisories(ctx, zip);
    expect(again).toMatchObject({ read: 4, imported: 0, unchanged: 4 });

    // The same id with a newer `modified` replaces the stored record and its ranges.
    const dsa = JSON.parse(readFileSync(join(FIXTURES, 'DSA-5514-1.json'), 'utf8'));
    dsa.modified = '2024-01-01T00:00:00Z';
    dsa.affected = dsa.affected.slice(1);
    const dir = osvDir({ 'DSA-5514-1.json': dsa, 'broken.json': { id: 'X' } as object });
    const newer = await importAdvisories(ctx, dir);
    expect(newer).toMatchObject({ read: 2, imported: 1, invalid: 1 });
    const updated = await ctx.db.advisoryPackage.findMany({ where: { advisoryId: 'DSA-5514-1' } });
    expect(updated.map((a) => a.ecosystem)).toEqual(['Debian:12']);
  });

  it('imports a zip served over http', async () => {
    const dir = mkdtempSync(join(work, 'http-'));
    cpSync(join(FIXTURES, 'USN-6409-1.json'), join(dir, 'USN-6409-1.json'));
    const zip = join(work, 'served.zip');
    execFileSync('zip', ['-q', '-r', zip, '.'], { cwd: dir });
    const server: Server = createServer((req, res) => {
      if (req.url !== '/ubuntu/all.zip') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/zip' }).end(readFileSync(zip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await importAdvisories(ctx, `http://127.0.0.1:${port}/ubuntu/all.zip`);
      expect(result).toMatchObject({ read: 1, unchanged: 1 });
      await expect(importAdvisories(ctx, `http://127.0.0.1:${port}/missing.zip`)).rejects.toThrow(/404/);
    } finally {
      server.close();
    }
  });
});

describe('findings', () => {
  it('flags a binary through its Source package with the fixed version; a fixed upload clears the repository view', async () => {
    await importAdvisories(ctx, FIXTURES);
    const vulnerable = await upload(
      'scan',
      buildDeb({ Package: 'libc6', Version: '2.36-9+deb12u1', Source: 'glibc' }),
    );
    expect((await scanPackage(ctx, vulnerable.package.id)).added).toEqual(['DSA-5514-1']);
    const pkg = await getPackage(ctx, owner, 'acme', 'scan', vulnerable.package.id);
    expect(pkg.vulnerabilities).toEqual([
      expect.objectContaining({
        advisory: expect.objectContaining({ id: 'DSA-5514-1' }),
        fixedVersion: '2.36-9+deb12u3',
      }),
    ]);
    // A copy into another distribution of the same release keeps the source package it is matched by.
    const copy = await copyPackage(
      ctx,
      owner,
      'acme',
      'scan',
      vulnerable.package.id,
      { distribution: 'debian/12' },
      'copy',
    );
    expect((await scanPackage(ctx, copy.package.id)).added).toEqual(['DSA-5514-1']);
    await deletePackage(ctx, owner, 'acme', 'scan', copy.package.id);
    const list = await listVulnerabilities(ctx, owner, 'acme', 'scan', { distribution: 'debian/bookworm' });
    expect(list.items).toEqual([
      {
        package: expect.objectContaining({
          name: 'libc6',
          version: '2.36-9+deb12u1',
          distribution: 'debian/bookworm',
        }),
        advisory: expect.objectContaining({
          id: 'DSA-5514-1',
          aliases: expect.arrayContaining(['CVE-2023-4911']),
        }),
        fixedVersion: '2.36-9+deb12u3',
      },
    ]);
    expect((await listVulnerabilities(ctx, owner, 'acme', 'scan', { distribution: 'el/9' })).items).toEqual(
      [],
    );
    const audit = await ctx.db.auditEvent.findFirst({
      where: { action: 'vulnerability.found', targetId: vulnerable.package.id },
    });
    expect(audit?.details).toMatchObject({
      advisories: [{ id: 'DSA-5514-1', fixedVersion: '2.36-9+deb12u3' }],
    });

    const fixed = await upload(
      'scan',
      buildDeb({ Package: 'libc6', Version: '2.36-9+deb12u3', Source: 'glibc' }),
    );
    expect((await scanPackage(ctx, fixed.package.id)).added).toEqual([]);
    expect((await listVulnerabilities(ctx, owner, 'acme', 'scan', {})).items).toEqual([]);
    expect((await listVulnerabilities(ctx, owner, 'acme', 'scan', { all: 'true' })).items).toHaveLength(1);
    expect((await getRepository(ctx, owner, 'acme', 'scan')).vulnerabilities).toMatchObject({
      unknown: 0,
      packages: 0,
    });
  });

  it('flags an rpm through its source rpm in rpm order: el9_2.6 is affected, el9_2.10 is not', async () => {
    await importAdvisories(ctx, FIXTURES);
    const top = join(work, 'rpmbuild-glibc');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    const build = (release: string) => {
      const spec = join(top, 'SPECS', `glibc-${release}.spec`);
      writeFileSync(
        spec,
        `Name: glibc\nVersion: 2.34\nRelease: ${release}\nSummary: t\nLicense: LGPL-2.1-or-later\nBuildArch: noarch\n` +
          '%description\nt\n%package langpack-en\nSummary: t\n%description langpack-en\nt\n%files langpack-en\n',
      );
      execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', spec], {
        env: { ...process.env, HOME: work },
        stdio: 'ignore',
      });
      return readFileSync(join(top, `RPMS/noarch/glibc-langpack-en-2.34-${release}.noarch.rpm`));
    };
    const old = await upload('scan', build('60.el9_2.6'), 'el/9');
    expect(await scanPackage(ctx, old.package.id)).toEqual({ added: ['ALSA-2023:5453'], removed: [] });
    const found = await ctx.db.finding.findMany({ where: { packageId: old.package.id } });
    expect(found.map((f) => f.fixedVersion)).toEqual(['2.34-60.el9_2.7']);
    const newer = await upload('scan', build('60.el9_2.10'), 'el/9');
    expect((await scanPackage(ctx, newer.package.id)).added).toEqual([]);
    // The same package in a distribution no OSV ecosystem covers has no findings.
    const fedora = await upload('scan', build('60.el9_2.6'), 'fedora/40');
    expect((await scanPackage(ctx, fedora.package.id)).added).toEqual([]);
  });

  it('flags a package that was clean once a new advisory about it arrives, audits it and sends the webhook', async () => {
    const hook = await createWebhook(ctx, owner, 'acme', {
      url: 'https://hooks.example.com/pallet',
      events: ['vulnerability.found'],
    });
    const clean = await upload('scan', buildDeb({ Package: 'tzdata-extra', Version: '1.0-1' }));
    expect((await scanPackage(ctx, clean.package.id)).added).toEqual([]);
    const dir = criticalAdvisory('DSA-9001-1', 'tzdata-extra', '1.0-2');
    const imported = await importAdvisories(ctx, dir);
    expect(await rescanAfterAdvisoryChange(ctx, imported)).toEqual({ scanned: 1, flagged: 1 });
    const summary = (await getRepository(ctx, owner, 'acme', 'scan')).vulnerabilities;
    expect(summary).toMatchObject({ critical: 1, packages: 1 });
    const audit = await ctx.db.auditEvent.findMany({
      where: { action: 'vulnerability.found', targetId: clean.package.id },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: 'system',
      details: expect.objectContaining({ repository: 'scan' }),
    });
    const deliveries = await ctx.db.webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: 'vulnerability.found',
      payload: {
        repository: 'scan',
        distribution: 'debian/bookworm',
        package: expect.objectContaining({ id: clean.package.id, name: 'tzdata-extra', version: '1.0-1' }),
        advisories: [{ id: 'DSA-9001-1', aliases: [], severity: 'critical', fixedVersion: '1.0-2' }],
      },
    });
  });
});

describe('upload policies', () => {
  it('refuses a package with a critical vulnerability during the upload, storing nothing, and audits it', async () => {
    await importAdvisories(ctx, criticalAdvisory('DSA-9002-1', 'zoneinfo-extra', '1.0-2'));
    await updatePolicy(ctx, owner, 'acme', 'policy', {
      rules: [{ kind: 'vulnerability', minSeverity: 'critical', action: 'refuse' }],
    });
    const before = await ctx.db.package.count();
    const err = await upload('policy', buildDeb({ Package: 'zoneinfo-extra', Version: '1.0-1' })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(InvalidPackage);
    expect(err.code).toBe('policy_violation');
    expect(err.message).toMatch(/DSA-9002-1 \(critical, fixed in 1\.0-2\)/);
    expect(await ctx.db.package.count()).toBe(before);
    const refused = await ctx.db.auditEvent.findFirst({ where: { action: 'package.refuse' } });
    expect(refused?.target).toBe('package zoneinfo-extra 1.0-1 amd64');
    // the fixed version passes
    expect((await upload('policy', buildDeb({ Package: 'zoneinfo-extra', Version: '1.0-2' }))).created).toBe(
      true,
    );
  });

  it('quarantines a package matching a name pattern until an admin releases it', async () => {
    await updatePolicy(ctx, owner, 'acme', 'policy', {
      rules: [{ kind: 'name', pattern: '*-debug', action: 'quarantine' }],
    });
    const held = await upload('policy', buildDeb({ Package: 'tool-debug', Version: '1.0-1' }));
    expect(held.package).toMatchObject({
      status: 'quarantined',
      quarantineReason: 'tool-debug matches the name pattern *-debug.',
    });
    expect(
      await ctx.db.auditEvent.count({ where: { action: 'package.quarantine', targetId: held.package.id } }),
    ).toBe(1);
    const released = await releasePackage(ctx, owner, 'acme', 'policy', held.package.id);
    expect(released.status).toBe('processing');
    expect(
      await ctx.db.auditEvent.count({ where: { action: 'package.release', targetId: held.package.id } }),
    ).toBe(1);
    await expect(releasePackage(ctx, owner, 'acme', 'policy', held.package.id)).rejects.toThrow(
      /not quarantined/,
    );
  });

  it('quarantines a license outside the allow list and refuses an unsigned rpm', async () => {
    await updatePolicy(ctx, owner, 'acme', 'policy', {
      rules: [
        { kind: 'license', allow: ['GPL-2.0-only', 'MIT'], action: 'quarantine' },
        { kind: 'unsigned-rpm', action: 'refuse' },
      ],
    });
    const libbz2 = join(import.meta.dirname, '../../../deb/fixtures/libbz2-1.0_1.0.8-5+b1_amd64.deb');
    const held = await upload('policy', readFileSync(libbz2), 'debian/trixie');
    expect(held.package.status).toBe('quarantined');
    expect(held.package.quarantineReason).toMatch(/not in the allowed licenses: LicenseRef-BSD-variant\./);
    const top = join(work, 'rpmbuild');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    writeFileSync(
      join(top, 'SPECS/plain.spec'),
      'Name: plain\nVersion: 1.0\nRelease: 1\nSummary: t\nLicense: MIT\nBuildArch: noarch\n%description\nt\n%files\n',
    );
    execFileSync(
      'rpmbuild',
      ['--define', `_topdir ${top}`, '--quiet', '-bb', join(top, 'SPECS/plain.spec')],
      {
        env: { ...process.env, HOME: work },
        stdio: 'ignore',
      },
    );
    const err = await upload(
      'policy',
      readFileSync(join(top, 'RPMS/noarch/plain-1.0-1.noarch.rpm')),
      'el/9',
    ).catch((e) => e);
    expect(err).toMatchObject({
      code: 'policy_violation',
      message: expect.stringMatching(/plain is an rpm without a signature/),
    });
  });

  it('refuses an invalid policy and keeps the stored one', async () => {
    const rules = [{ kind: 'name', pattern: 'x-*', action: 'refuse' }];
    await updatePolicy(ctx, owner, 'acme', 'policy', { rules });
    await expect(
      updatePolicy(ctx, owner, 'acme', 'policy', {
        rules: [{ kind: 'vulnerability', minSeverity: 'severe', action: 'refuse' }],
      }),
    ).rejects.toThrow(/minSeverity/);
    const row = await ctx.db.repositoryPolicy.findUniqueOrThrow({
      where: { repositoryId: (await ctx.db.repository.findFirstOrThrow({ where: { slug: 'policy' } })).id },
    });
    expect(row.rules).toEqual(rules);
  });
});
