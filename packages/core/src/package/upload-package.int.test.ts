// Upload contract against the real PostgreSQL and filesystem storage: rejected uploads store nothing,
// identical re-uploads are idempotent, other bytes under the same identity conflict unless overwritten.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import {
  Conflict,
  Forbidden,
  InvalidPackage,
  InvalidRequest,
  NotFound,
  TooLarge,
  UnsupportedFormat,
} from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { updatePolicy } from '../policy/update-policy';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { toPackageView } from './package-view';
import { stageUpload } from './stage-upload';
import { authorizeUpload, uploadPackage } from './upload-package';

const FIXTURE = join(import.meta.dirname, '../../../deb/fixtures/hello_2.10-3_amd64.deb');
let ctx: CoreContext;
let owner: Actor;
let stranger: Actor;
let work: string;

function chunks(bytes: Uint8Array, size = 4096): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  })();
}

function storedFiles(): string[] {
  try {
    return readdirSync(ctx.config.storage, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

function buildDeb(name: string, version: string, body: string): Uint8Array {
  const root = join(work, `${name}-${version}-${body.length}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: all\nMaintainer: T <t@example.test>\nDescription: test\n`,
  );
  writeFileSync(join(root, 'file.txt'), body);
  const out = `${root}.deb`;
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore' });
  return readFileSync(out);
}

/** As the upload route does it: authorized before the body is read, that authorization handed on. */
async function upload(actor: Actor, bytes: Uint8Array, fields: Record<string, string>, maxBytes = 1 << 30) {
  const authorized = await authorizeUpload(ctx, actor, 'acme', 'tools');
  const staged = await stageUpload(ctx, chunks(bytes), { maxBytes });
  return uploadPackage(ctx, actor, 'acme', 'tools', staged, fields, authorized);
}

/** The owner of acme as a signed-in user (a session), whose role the database decides at every check. */
async function ownerSession(): Promise<Actor & { kind: 'user' }> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { email: 'owner@acme.test' } });
  return { kind: 'user', userId: user.id, email: user.email };
}

async function setOwnerRole(role: 'OWNER' | 'VIEWER'): Promise<void> {
  const member = await ownerSession();
  const org = await ctx.db.org.findUniqueOrThrow({ where: { slug: 'acme' } });
  await ctx.db.membership.update({
    where: { orgId_userId: { orgId: org.id, userId: member.userId } },
    data: { role },
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-upload-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const a = await signUp(ctx, { email: 'owner@acme.test', password: 'long enough password', org: 'acme' });
  owner = await authenticateToken(ctx, a.token);
  const b = await signUp(ctx, { email: 'owner@other.test', password: 'long enough password', org: 'other' });
  stranger = await authenticateToken(ctx, b.token);
  await createRepository(ctx, owner, 'acme', { name: 'tools', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('uploading packages', () => {
  it('rejects a file that is not a package with 415 and stores nothing', async () => {
    await expect(
      upload(owner, Buffer.from('just some text, not a package'), { distribution: 'debian/bookworm' }),
    ).rejects.toBeInstanceOf(UnsupportedFormat);
    expect(storedFiles()).toEqual([]);
  });

  it('rejects a truncated .deb with 422 and a clear message, storing nothing', async () => {
    const bytes = readFileSync(FIXTURE);
    const err = await upload(owner, bytes.subarray(0, 2000), { distribution: 'debian/bookworm' }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(InvalidPackage);
    expect(err.message).toMatch(/truncated|ends|short/i);
    expect(storedFiles()).toEqual([]);
    expect(await ctx.db.package.count()).toBe(0);
  });

  it('rejects an upload over the size limit with 413, storing nothing', async () => {
    await expect(
      upload(owner, readFileSync(FIXTURE), { distribution: 'debian/bookworm' }, 10_000),
    ).rejects.toBeInstanceOf(TooLarge);
    expect(storedFiles()).toEqual([]);
  });

  it('refuses a .deb for an rpm distribution and discards the staged bytes', async () => {
    await expect(upload(owner, readFileSync(FIXTURE), { distribution: 'el/9' })).rejects.toBeInstanceOf(
      InvalidRequest,
    );
    await expect(
      upload(owner, readFileSync(FIXTURE), { distribution: '../etc/passwd' }),
    ).rejects.toBeInstanceOf(InvalidRequest);
    expect(storedFiles()).toEqual([]);
  });

  it("answers 404 for another org's repository and stores nothing", async () => {
    await expect(
      upload(stranger, readFileSync(FIXTURE), { distribution: 'debian/bookworm' }),
    ).rejects.toBeInstanceOf(NotFound);
    expect(storedFiles()).toEqual([]);
  });

  it('accepts a real .deb, is idempotent for the same bytes and records the upload', async () => {
    const first = await upload(owner, readFileSync(FIXTURE), { distribution: 'debian/bookworm' });
    expect(first.created).toBe(true);
    expect(first.package).toMatchObject({
      name: 'hello',
      version: '2.10-3',
      architecture: 'amd64',
      component: 'main',
      status: 'processing',
    });
    expect(first.package.filename).toBe('pool/bookworm/main/h/hello/hello_2.10-3_amd64.deb');
    const again = await upload(owner, readFileSync(FIXTURE), { distribution: 'debian/bookworm' });
    expect(again.created).toBe(false);
    expect(again.package.id).toBe(first.package.id);
    expect(storedFiles()).toHaveLength(1);
    const audit = await ctx.db.auditEvent.findMany({ where: { action: 'package.upload' } });
    expect(audit).toHaveLength(1);
  });

  it('stores the licenses a package declares as SPDX expressions (DEP-5 copyright, rpm License)', async () => {
    const libbz2 = join(import.meta.dirname, '../../../deb/fixtures/libbz2-1.0_1.0.8-5+b1_amd64.deb');
    const deb = await upload(owner, readFileSync(libbz2), { distribution: 'debian/trixie' });
    expect(deb.package.licenses).toEqual(['LicenseRef-BSD-variant', 'GPL-2.0-only']);
    const row = await ctx.db.package.findUniqueOrThrow({ where: { id: deb.package.id } });
    expect(row.licenses).toEqual(['LicenseRef-BSD-variant', 'GPL-2.0-only']);
    const top = join(work, 'rpmbuild');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    const spec = join(top, 'SPECS', 'lic.spec');
    writeFileSync(
      spec,
      'Name: lic\nVersion: 1.0\nRelease: 1\nSummary: t\nLicense: GPLv2+ and (MIT or ASL 2.0)\nBuildArch: noarch\n' +
        '%description\nt\n%files\n',
    );
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', spec], {
      env: { ...process.env, HOME: work },
      stdio: 'ignore',
    });
    const rpm = await upload(owner, readFileSync(join(top, 'RPMS/noarch/lic-1.0-1.noarch.rpm')), {
      distribution: 'el/9',
    });
    expect(rpm.package.licenses).toEqual(['GPL-2.0-or-later AND (MIT OR Apache-2.0)']);
    const hello = await upload(owner, readFileSync(FIXTURE), { distribution: 'debian/trixie' });
    expect(hello.package.licenses).toEqual([]);
  });

  it('answers 409 for other bytes under the same name, version and architecture unless overwrite is set', async () => {
    const v1 = buildDeb('clash', '1.0', 'one');
    const v1b = buildDeb('clash', '1.0', 'two!');
    const first = await upload(owner, v1, { distribution: 'debian/bookworm' });
    const before = storedFiles().length;
    await expect(upload(owner, v1b, { distribution: 'debian/bookworm' })).rejects.toBeInstanceOf(Conflict);
    expect(storedFiles()).toHaveLength(before);
    const replaced = await upload(owner, v1b, { distribution: 'debian/bookworm', overwrite: 'true' });
    expect(replaced.package.id).toBe(first.package.id);
    expect(replaced.package.sha256).not.toBe(first.package.sha256);
  });

  it('gives overwritten bytes a new file name and never lets a name change its content', async () => {
    const a = buildDeb('renamed', '1.0', 'first content');
    const b = buildDeb('renamed', '1.0', 'second content');
    const c = buildDeb('renamed', '1.0', 'third content!');
    const fileOf = async (id: string) => (await ctx.db.package.findUniqueOrThrow({ where: { id } })).filename;
    const first = await upload(owner, a, { distribution: 'debian/bookworm' });
    const canonical = await fileOf(first.package.id);
    expect(canonical).toBe('pool/bookworm/main/r/renamed/renamed_1.0_all.deb');
    await upload(owner, b, { distribution: 'debian/bookworm', overwrite: 'true' });
    const second = await fileOf(first.package.id);
    expect(second).not.toBe(canonical);
    expect(second).toMatch(/^pool\/bookworm\/main\/r\/renamed\/[0-9a-f]{16}\/renamed_1\.0_all\.deb$/);
    // Back to the first bytes: they get their own name back.
    await upload(owner, a, { distribution: 'debian/bookworm', overwrite: 'true' });
    expect(await fileOf(first.package.id)).toBe(canonical);
    // Deleted, then other bytes uploaded afresh: the name stays with the bytes it served.
    await ctx.db.package.delete({ where: { id: first.package.id } });
    const fresh = await upload(owner, c, { distribution: 'debian/bookworm' });
    const third = await fileOf(fresh.package.id);
    expect([canonical, second]).not.toContain(third);
  });

  it('answers with the row as stored, and an overwrite of a listed package keeps its earlier content as a removed copy', async () => {
    const a = buildDeb('listed', '1.0', 'published content');
    const b = buildDeb('listed', '1.0', 'replacement content');
    const first = await upload(owner, a, { distribution: 'debian/bookworm' });
    const read = async (id: string) =>
      ctx.db.package.findUniqueOrThrow({ where: { id }, include: { blob: true, distribution: true } });
    // The answer is what Prisma reads back from the row (types included: dates, enums, arrays).
    expect(first.package).toEqual(toPackageView(await read(first.package.id)));
    const stored = await read(first.package.id);
    await ctx.db.packageListing.create({
      data: { distributionId: stored.distributionId, packageId: stored.id, fromGeneration: 1 },
    });
    const replaced = await upload(owner, b, { distribution: 'debian/bookworm', overwrite: 'true' });
    expect(replaced.created).toBe(true);
    expect(replaced.package).toEqual(toPackageView(await read(first.package.id)));
    const copies = await ctx.db.package.findMany({
      where: { name: 'listed', status: 'REMOVED' },
      include: { listings: true },
    });
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({
      blobId: stored.blobId,
      filename: stored.filename,
      metadata: stored.metadata,
      createdAt: stored.createdAt,
      listings: [{ fromGeneration: 1, untilGeneration: null }],
    });
    expect(copies[0]!.removedAt).toBeInstanceOf(Date);
    expect(await ctx.db.packageListing.count({ where: { packageId: first.package.id } })).toBe(0);
    const names = await ctx.db.packageFileName.findMany({ where: { filename: { contains: 'listed_1.0' } } });
    expect(names.find((n) => n.filename === stored.filename)?.supersededAt).toBeInstanceOf(Date);
    const audit = await ctx.db.auditEvent.findMany({
      where: { targetId: first.package.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((e) => e.action)).toEqual(['package.upload', 'package.overwrite']);
    expect(audit[1]!.details).toMatchObject({
      distribution: 'debian/bookworm',
      sha256: replaced.package.sha256,
    });
  });

  it('lets concurrent first uploads create one distribution and add every component', async () => {
    const comps = ['main', 'contrib', 'extra', 'main'];
    const results = await Promise.all(
      comps.map((component, i) =>
        upload(owner, buildDeb(`race${i}`, '1.0', `body${i}`), { distribution: 'debian/trixie', component }),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    const dists = await ctx.db.distribution.findMany({ where: { name: 'debian/trixie' } });
    expect(dists).toHaveLength(1);
    expect([...dists[0]!.components].sort()).toEqual(['contrib', 'extra', 'main']);
  });

  it('checks again, once the body is read, an authorization made before it: a member demoted meanwhile gets 403 and nothing is stored', async () => {
    const member = await ownerSession();
    const authorized = await authorizeUpload(ctx, member, 'acme', 'tools');
    const before = storedFiles();
    await setOwnerRole('VIEWER');
    try {
      for (const distribution of ['debian/demoted', '../not-a-distribution']) {
        const staged = await stageUpload(ctx, chunks(buildDeb('demoted', '1.0', 'body')), {
          maxBytes: 1 << 30,
        });
        await expect(
          uploadPackage(ctx, member, 'acme', 'tools', staged, { distribution }, authorized),
        ).rejects.toBeInstanceOf(Forbidden);
      }
    } finally {
      await setOwnerRole('OWNER');
    }
    expect(await ctx.db.package.count({ where: { name: 'demoted' } })).toBe(0);
    expect(await ctx.db.distribution.count({ where: { name: 'debian/demoted' } })).toBe(0);
    expect(storedFiles()).toEqual(before);
    const staged = await stageUpload(ctx, chunks(buildDeb('demoted', '1.0', 'body')), { maxBytes: 1 << 30 });
    const after = await uploadPackage(
      ctx,
      member,
      'acme',
      'tools',
      staged,
      { distribution: 'debian/demoted' },
      authorized,
    );
    expect(after.created).toBe(true);
  });

  it('applies an upload policy changed while the body was read', async () => {
    const authorized = await authorizeUpload(ctx, owner, 'acme', 'tools');
    await updatePolicy(ctx, owner, 'acme', 'tools', {
      rules: [{ kind: 'name', pattern: 'late-*', action: 'refuse' }],
    });
    try {
      const staged = await stageUpload(ctx, chunks(buildDeb('late-rule', '1.0', 'body')), {
        maxBytes: 1 << 30,
      });
      const err = await uploadPackage(
        ctx,
        owner,
        'acme',
        'tools',
        staged,
        { distribution: 'debian/policy' },
        authorized,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(InvalidPackage);
      expect(err.code).toBe('policy_violation');
      const quarantining = await authorizeUpload(ctx, owner, 'acme', 'tools');
      await updatePolicy(ctx, owner, 'acme', 'tools', {
        rules: [{ kind: 'name', pattern: 'late-*', action: 'quarantine' }],
      });
      const held = await uploadPackage(
        ctx,
        owner,
        'acme',
        'tools',
        await stageUpload(ctx, chunks(buildDeb('late-rule', '1.0', 'body')), { maxBytes: 1 << 30 }),
        { distribution: 'debian/policy' },
        quarantining,
      );
      expect(held.package.status).toBe('quarantined');
    } finally {
      await updatePolicy(ctx, owner, 'acme', 'tools', { rules: [] });
    }
    expect(
      await ctx.db.auditEvent.count({
        where: { action: 'package.refuse', target: { contains: 'late-rule' } },
      }),
    ).toBe(1);
  });

  it('answers concurrent uploads of one package with one creation and identical or conflict answers, never an error', async () => {
    const same = buildDeb('twin', '1.0', 'same bytes');
    const other = buildDeb('twin', '1.0', 'other bytes');
    const outcomes = await Promise.all(
      [same, same, same, other, same, other].map((bytes) =>
        upload(owner, bytes, { distribution: 'debian/forky' }).then(
          (r) => (r.created ? 'created' : 'identical'),
          (err) => (err instanceof Conflict ? 'conflict' : `error: ${(err as Error).message}`),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(
      outcomes.every((o) => ['created', 'identical', 'conflict'].includes(o)),
      outcomes.join(', '),
    ).toBe(true);
    const rows = await ctx.db.package.findMany({
      where: { name: 'twin', distribution: { name: 'debian/forky' } },
    });
    expect(rows).toHaveLength(1);
  });
});

// The registration decides "new package, same bytes again, or other bytes" twice: in SQL, in the one
// statement most uploads end with (recordFirstUpload), and in TypeScript, in the transaction that takes
// everything that statement does not settle. Each case runs both ways, on a state of its own: into a
// distribution that lists the upload's component (the statement goes first), and into one that no longer
// lists it (the statement finds no ready distribution, and the transaction decides alone). The answers
// and what is stored must not depend on the way.
describe('the two ways an upload is registered', () => {
  type State = 'nothing' | 'same bytes live' | 'other bytes live' | 'same bytes deleting' | 'name held';
  type Way = 'statement first' | 'transaction alone';
  const cases: { state: State; overwrite: boolean; expected: string }[] = [
    { state: 'nothing', overwrite: false, expected: 'created new at the canonical name' },
    { state: 'same bytes live', overwrite: false, expected: 'identical, the live row' },
    { state: 'same bytes live', overwrite: true, expected: 'identical, the live row' },
    { state: 'other bytes live', overwrite: false, expected: 'conflict' },
    {
      state: 'other bytes live',
      overwrite: true,
      expected: 'created over the live row at a name of its own',
    },
    {
      state: 'same bytes deleting',
      overwrite: false,
      expected: 'created over the live row at the canonical name',
    },
    { state: 'name held', overwrite: false, expected: 'created new at a name of its own' },
  ];
  let release = 0;

  /** Prepares `state` for package `name` in a distribution of its own, then uploads the bytes `way`. */
  async function outcome(name: string, state: State, overwrite: boolean, way: Way) {
    const distribution = `debian/way${++release}`;
    const component = way === 'statement first' ? 'main' : 'extra';
    const mine = buildDeb(name, '1.0', 'the uploaded bytes');
    const theirs = buildDeb(name, '1.0', 'other bytes, longer');
    let live: string | null = null;
    if (state === 'nothing') {
      // The distribution exists, as in every other case.
      await upload(owner, buildDeb(`${name}-neighbour`, '1.0', 'x'), { distribution, component });
    } else {
      const earlier = state.startsWith('same bytes') ? mine : theirs;
      live = (await upload(owner, earlier, { distribution, component })).package.id;
      if (state === 'same bytes deleting')
        await ctx.db.package.update({ where: { id: live }, data: { status: 'DELETING' } });
      if (state === 'name held') {
        await ctx.db.package.delete({ where: { id: live } });
        live = null;
      }
    }
    if (way === 'transaction alone')
      await ctx.db.distribution.updateMany({ where: { name: distribution }, data: { components: ['main'] } });
    let answer: string;
    try {
      const r = await upload(owner, mine, {
        distribution,
        component,
        ...(overwrite ? { overwrite: 'true' } : {}),
      });
      const release = distribution.split('/')[1];
      const canonical = r.package.filename === `pool/${release}/${component}/w/${name}/${name}_1.0_all.deb`;
      const over = r.package.id === live;
      answer = r.created
        ? `created ${over ? 'over the live row' : 'new'} at ${canonical ? 'the canonical name' : 'a name of its own'}`
        : `identical, ${over ? 'the live row' : 'another row'}`;
    } catch (err) {
      answer = err instanceof Conflict ? 'conflict' : `error: ${(err as Error).message}`;
    }
    const rows = await ctx.db.package.findMany({
      where: { name, distribution: { name: distribution } },
      orderBy: { createdAt: 'asc' },
    });
    const audit = await ctx.db.auditEvent.findMany({
      where: { target: `package ${name} 1.0 all` },
      orderBy: { id: 'asc' },
    });
    return {
      answer,
      rows: rows.map((p) => `${p.status} ${p.component}`),
      audit: audit.map((e) => e.action),
    };
  }

  it.each(cases)(
    '$state, overwrite $overwrite: $expected, whichever way',
    async ({ state, overwrite, expected }) => {
      const name = `way${release + 1}`;
      const statementFirst = await outcome(`${name}-s`, state, overwrite, 'statement first');
      const transactionAlone = await outcome(`${name}-t`, state, overwrite, 'transaction alone');
      expect(statementFirst.answer).toBe(expected);
      expect({
        ...transactionAlone,
        rows: transactionAlone.rows.map((r) => r.replace('extra', 'main')),
      }).toEqual(statementFirst);
    },
  );
});
