// Release life cycle against the real PostgreSQL and filesystem storage: distribution settings, freeze.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { DomainError, Forbidden } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { deletePackage } from '../package/delete-package';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
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
