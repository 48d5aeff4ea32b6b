// Release life cycle against the real PostgreSQL and filesystem storage: distribution settings, freeze,
// retention, copy/move, yank and restore, driven through the core services the API routes call.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { DownloadCache } from '../download/download-cache';
import { resolveDownload } from '../download/resolve-download';
import { DomainError, Forbidden } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { copyPackage } from '../package/copy-package';
import { copyPackages } from '../package/copy-packages';
import { deletePackage } from '../package/delete-package';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { yankPackage } from '../package/yank-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { previewRestore, restorePublication } from '../publication/restore-publication';
import { createRepository } from '../repository/create-repository';
import { previewRetention } from '../retention/preview-retention';
import { authenticateToken } from '../token/authenticate-token';
import { createToken } from '../token/create-token';
import { listDistributions } from './list-distributions';
import { updateDistribution } from './update-distribution';

let ctx: CoreContext;
let owner: Actor;
let writer: Actor;
let work: string;
const ORG = 'life';

function buildDeb(name: string, version: string, arch = 'amd64'): Uint8Array {
  const root = join(work, `${name}-${version}-${arch}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: ${arch}\nMaintainer: T <t@example.test>\nDescription: ${name}\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  return readFileSync(`${root}.deb`);
}

async function upload(repo: string, bytes: Uint8Array, distribution: string, actor = owner) {
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  return (await uploadPackage(ctx, actor, ORG, repo, staged, { distribution })).package;
}

/** Uploads, ingests and publishes one package, as the worker would. */
async function publish(repo: string, name: string, version: string, distribution: string) {
  const pkg = await upload(repo, buildDeb(name, version), distribution);
  await ingestPackage(ctx, pkg.id);
  const p = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
  await publishDistributionNow(ctx, p.distributionId);
  return pkg;
}

async function auditActions(): Promise<string[]> {
  const org = await ctx.db.org.findUniqueOrThrow({ where: { slug: ORG } });
  const rows = await ctx.db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-lifecycle-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const a = await signUp(ctx, { email: 'owner@life.test', password: 'long enough password', org: ORG });
  owner = await authenticateToken(ctx, a.token);
  const w = await createToken(ctx, owner, ORG, { name: 'ci', scopes: ['repo:write'] });
  writer = await authenticateToken(ctx, w.token);
});

afterAll(async () => {
  await ctx?.db.$disconnect();
  await ctx?.queues.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('distribution settings', () => {
  it('lists distributions and changes freeze, retention and validDays (admin only, audited)', async () => {
    await createRepository(ctx, owner, ORG, { name: 'settings', keyAlgorithm: 'ed25519' });
    await publish('settings', 'hello', '1.0', 'debian/bookworm');
    const [listed] = await listDistributions(ctx, owner, ORG, 'settings');
    expect(listed).toMatchObject({
      name: 'debian/bookworm',
      format: 'deb',
      frozen: false,
      retention: null,
      validDays: null,
      packageCount: 1,
    });
    expect(listed?.currentPublicationId).toBeTruthy();
    await expect(
      updateDistribution(ctx, writer, ORG, 'settings', 'debian/bookworm', { frozen: true }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      updateDistribution(ctx, owner, ORG, 'settings', 'debian/bookworm', { retention: { keepVersions: 0 } }),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    await expect(
      updateDistribution(ctx, owner, ORG, 'settings', 'debian/trixie', { frozen: true }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    const updated = await updateDistribution(ctx, owner, ORG, 'settings', 'debian/bookworm', {
      retention: { keepVersions: 3, maxAgeDays: 30 },
      validDays: 7,
    });
    expect(updated).toMatchObject({ retention: { keepVersions: 3, maxAgeDays: 30 }, validDays: 7 });
    const cleared = await updateDistribution(ctx, owner, ORG, 'settings', 'debian/bookworm', {
      retention: null,
    });
    expect(cleared).toMatchObject({ retention: null, validDays: 7 });
    expect(await auditActions()).toContain('distribution.update');
  });

  it('refuses uploads and deletions into a frozen distribution with 423 and changes nothing', async () => {
    await createRepository(ctx, owner, ORG, { name: 'frozen', keyAlgorithm: 'ed25519' });
    const pkg = await publish('frozen', 'ice', '1.0', 'debian/bookworm');
    await updateDistribution(ctx, owner, ORG, 'frozen', 'debian/bookworm', { frozen: true });
    const before = await ctx.db.package.count({ where: { repository: { slug: 'frozen' } } });
    const refused = await upload('frozen', buildDeb('ice', '2.0'), 'debian/bookworm', writer).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'locked', code: 'distribution_frozen' });
    expect(refused.message).toMatch(/frozen/);
    await expect(deletePackage(ctx, writer, ORG, 'frozen', pkg.id)).rejects.toMatchObject({ kind: 'locked' });
    expect(await ctx.db.package.count({ where: { repository: { slug: 'frozen' } } })).toBe(before);
    // Other distributions of the repository take uploads as usual.
    await upload('frozen', buildDeb('ice', '2.0'), 'debian/trixie', writer);
    await updateDistribution(ctx, owner, ORG, 'frozen', 'debian/bookworm', { frozen: false });
    await upload('frozen', buildDeb('ice', '3.0'), 'debian/bookworm', writer);
    const actions = await auditActions();
    expect(actions).toContain('distribution.freeze');
    expect(actions).toContain('distribution.unfreeze');
  });
});

/** Ingests what is waiting and publishes the distribution, as the worker would. */
async function settle(repo: string, distribution: string) {
  const dist = await ctx.db.distribution.findFirstOrThrow({
    where: { name: distribution, repository: { slug: repo } },
  });
  for (const p of await ctx.db.package.findMany({
    where: { distributionId: dist.id, status: 'PROCESSING', indexEntry: null },
  }))
    await ingestPackage(ctx, p.id);
  await publishDistributionNow(ctx, dist.id);
  return ctx.db.distribution.findUniqueOrThrow({ where: { id: dist.id } });
}

async function packagesIndex(repo: string, distribution: string): Promise<string> {
  const dist = await ctx.db.distribution.findFirstOrThrow({
    where: { name: distribution, repository: { slug: repo } },
  });
  const file = await ctx.db.publicationFile.findUniqueOrThrow({
    where: {
      publicationId_path: {
        publicationId: dist.currentPublicationId!,
        path: `dists/${dist.release}/main/binary-amd64/Packages`,
      },
    },
  });
  return readFileSync(join(ctx.config.storage, file.storageKey), 'utf8');
}

const versionsIn = (index: string, name: string) =>
  [...index.matchAll(new RegExp(`^Package: ${name}\nArchitecture: .+\nVersion: (.+)$`, 'gm'))]
    .map((m) => m[1])
    .sort((a, b) => Number.parseFloat(a!) - Number.parseFloat(b!));

describe('retention', () => {
  it('keeps exactly N versions per name and architecture across 50 uploads, previewed before it applies', async () => {
    await createRepository(ctx, owner, ORG, { name: 'retain', keyAlgorithm: 'ed25519' });
    await publish('retain', 'churn', '1.0', 'debian/bookworm');
    await publish('retain', 'other', '1.0', 'debian/bookworm');
    await updateDistribution(ctx, owner, ORG, 'retain', 'debian/bookworm', {
      retention: { keepVersions: 3 },
    });
    for (let i = 2; i <= 50; i++) {
      await upload('retain', buildDeb('churn', `${i}.0`), 'debian/bookworm', writer);
      if (i % 10 === 0) await settle('retain', 'debian/bookworm');
    }
    const preview = await previewRetention(ctx, owner, ORG, 'retain', 'debian/bookworm', {});
    const pending = await ctx.db.package.count({
      where: { repository: { slug: 'retain' }, status: { in: ['PUBLISHED', 'PROCESSING'] }, name: 'churn' },
    });
    expect(preview.wouldRemove.length).toBe(pending - 3);
    // A policy being considered is previewed without being set.
    const considered = await previewRetention(ctx, owner, ORG, 'retain', 'debian/bookworm', {
      keepVersions: '1',
    });
    expect(considered.wouldRemove.length).toBe(pending - 1);
    await settle('retain', 'debian/bookworm');
    const index = await packagesIndex('retain', 'debian/bookworm');
    expect(versionsIn(index, 'churn')).toEqual(['48.0', '49.0', '50.0']);
    // The only version of another package is never removed.
    expect(versionsIn(index, 'other')).toEqual(['1.0']);
    const live = await ctx.db.package.count({
      where: { repository: { slug: 'retain' }, name: 'churn', status: { not: 'REMOVED' } },
    });
    expect(live).toBe(3);
    expect(await auditActions()).toContain('package.retention_remove');
    expect((await previewRetention(ctx, owner, ORG, 'retain', 'debian/bookworm', {})).wouldRemove).toEqual(
      [],
    );
  }, 180_000);
});

describe('copy, move, yank and restore', () => {
  it('copies a package into another distribution and repository with the same blob, moves one out of its source', async () => {
    await createRepository(ctx, owner, ORG, { name: 'stages', keyAlgorithm: 'ed25519' });
    await createRepository(ctx, owner, ORG, { name: 'prod', keyAlgorithm: 'ed25519' });
    const pkg = await publish('stages', 'promo', '1.0', 'debian/testing');
    const copied = await copyPackage(
      ctx,
      writer,
      ORG,
      'stages',
      pkg.id,
      { distribution: 'debian/stable' },
      'copy',
    );
    expect(copied.created).toBe(true);
    expect(copied.package).toMatchObject({
      name: 'promo',
      version: '1.0',
      distribution: 'debian/stable',
      sha256: pkg.sha256,
    });
    expect(copied.package.filename).toBe('pool/stable/main/p/promo/promo_1.0_amd64.deb');
    // Again: nothing new.
    expect(
      (await copyPackage(ctx, writer, ORG, 'stages', pkg.id, { distribution: 'debian/stable' }, 'copy'))
        .created,
    ).toBe(false);
    await settle('stages', 'debian/stable');
    expect(versionsIn(await packagesIndex('stages', 'debian/stable'), 'promo')).toEqual(['1.0']);
    const src = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
    const dst = await ctx.db.package.findUniqueOrThrow({ where: { id: copied.package.id } });
    expect(dst.blobId).toBe(src.blobId);
    expect(dst.copiedFromId).toBe(src.id);
    // Into another repository of the org, then a move: gone from the source at its next publication.
    const other = await copyPackage(
      ctx,
      owner,
      ORG,
      'stages',
      pkg.id,
      { repo: 'prod', distribution: 'debian/stable' },
      'move',
    );
    expect(other.package.distribution).toBe('debian/stable');
    expect((await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } })).status).toBe('DELETING');
    await settle('stages', 'debian/testing');
    expect(versionsIn(await packagesIndex('stages', 'debian/testing'), 'promo')).toEqual([]);
    await settle('prod', 'debian/stable');
    expect(versionsIn(await packagesIndex('prod', 'debian/stable'), 'promo')).toEqual(['1.0']);
    // A read-only token may not copy; another org's repository is not found; a frozen target answers 423.
    const reader = await authenticateToken(
      ctx,
      (await createToken(ctx, owner, ORG, { name: 'r', scopes: ['repo:read'] })).token,
    );
    await expect(
      copyPackage(ctx, reader, ORG, 'stages', copied.package.id, { distribution: 'debian/trixie' }, 'copy'),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      copyPackage(
        ctx,
        owner,
        ORG,
        'stages',
        copied.package.id,
        { repo: 'nope', distribution: 'debian/trixie' },
        'copy',
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await updateDistribution(ctx, owner, ORG, 'stages', 'debian/testing', { frozen: true });
    await expect(
      copyPackage(ctx, writer, ORG, 'stages', copied.package.id, { distribution: 'debian/testing' }, 'copy'),
    ).rejects.toMatchObject({ kind: 'locked' });
    const actions = await auditActions();
    expect(actions).toContain('package.copy');
    expect(actions).toContain('package.move');
  }, 120_000);

  it('copies every package matching a query in one request', async () => {
    await createRepository(ctx, owner, ORG, { name: 'bulk', keyAlgorithm: 'ed25519' });
    await publish('bulk', 'aa', '1.0', 'debian/testing');
    await publish('bulk', 'aa', '2.0', 'debian/testing');
    await publish('bulk', 'bb', '1.0', 'debian/testing');
    const result = await copyPackages(
      ctx,
      writer,
      ORG,
      'bulk',
      { query: { distribution: 'debian/testing', name: 'aa' }, distribution: 'debian/stable' },
      'copy',
    );
    expect(result.items.map((p) => p.version).sort()).toEqual(['1.0', '2.0']);
    expect(result.skipped).toEqual([]);
    await settle('bulk', 'debian/stable');
    expect(versionsIn(await packagesIndex('bulk', 'debian/stable'), 'aa')).toEqual(['1.0', '2.0']);
    expect(versionsIn(await packagesIndex('bulk', 'debian/stable'), 'bb')).toEqual([]);
  }, 120_000);

  it('restores an earlier publication as a new one, and keeps yanked versions out while their files stay served', async () => {
    await createRepository(ctx, owner, ORG, { name: 'rollback', keyAlgorithm: 'ed25519' });
    await publish('rollback', 'app', '1.0', 'debian/bookworm');
    const lib = await publish('rollback', 'lib', '1.0', 'debian/bookworm');
    const good = (await ctx.db.distribution.findFirstOrThrow({ where: { repository: { slug: 'rollback' } } }))
      .currentPublicationId!;
    await upload('rollback', buildDeb('app', '2.0'), 'debian/bookworm');
    await settle('rollback', 'debian/bookworm');
    const bad = await ctx.db.package.findFirstOrThrow({
      where: { repository: { slug: 'rollback' }, name: 'app', version: '1.0' },
    });
    await deletePackage(ctx, owner, ORG, 'rollback', bad.id);
    await yankPackage(ctx, owner, ORG, 'rollback', lib.id);
    await settle('rollback', 'debian/bookworm');
    expect(versionsIn(await packagesIndex('rollback', 'debian/bookworm'), 'app')).toEqual(['2.0']);
    expect(versionsIn(await packagesIndex('rollback', 'debian/bookworm'), 'lib')).toEqual([]);
    // The yanked file is still served (pinned machines), though no index lists it.
    const file = await resolveDownload(ctx, new DownloadCache(), { kind: 'anonymous' }, [
      ORG,
      'rollback',
      'deb',
      'debian',
      ...lib.filename!.split('/'),
    ]);
    expect(file).toBeTruthy();
    const plan = await previewRestore(ctx, writer, ORG, 'rollback', good);
    expect(plan.add.map((p) => `${p.name} ${p.version}`)).toEqual(['app 1.0']);
    expect(plan.remove.map((p) => `${p.name} ${p.version}`)).toEqual(['app 2.0']);
    expect(plan.yanked.map((p) => p.name)).toEqual(['lib']);
    const before = await ctx.db.distribution.findFirstOrThrow({
      where: { repository: { slug: 'rollback' } },
    });
    const restored = await restorePublication(ctx, writer, ORG, 'rollback', good);
    expect(restored).toMatchObject({ distribution: 'debian/bookworm', generation: before.generation + 1 });
    const after = await settle('rollback', 'debian/bookworm');
    expect(after.currentPublicationId).not.toBe(good);
    expect(after.currentPublicationId).not.toBe(before.currentPublicationId);
    expect(versionsIn(await packagesIndex('rollback', 'debian/bookworm'), 'app')).toEqual(['1.0']);
    expect(versionsIn(await packagesIndex('rollback', 'debian/bookworm'), 'lib')).toEqual([]);
    expect(await auditActions()).toEqual(expect.arrayContaining(['publication.restore', 'package.yank']));
    // And forward again to the publication before the restore.
    await restorePublication(ctx, writer, ORG, 'rollback', before.currentPublicationId!);
    await settle('rollback', 'debian/bookworm');
    expect(versionsIn(await packagesIndex('rollback', 'debian/bookworm'), 'app')).toEqual(['2.0']);
  }, 120_000);
});
