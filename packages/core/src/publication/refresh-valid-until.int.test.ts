// Valid-Until against the real database and storage: a distribution's validDays writes
// `Valid-Until: Date + validDays` (one "day" = PALLET_VALID_UNTIL_UNIT_SECONDS), changing it republishes at
// once, and the upkeep job re-signs a distribution only once less than a third of its validity remains.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { updateDistribution } from '../distribution/update-distribution';
import { signUp } from '../org/sign-up';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { publishDistributionNow } from './publish-distribution-now';
import { refreshValidUntil } from './refresh-valid-until';

let ctx: CoreContext;
let actor: Actor;
let work: string;
let distributionId: string;

async function release(): Promise<string> {
  const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
  const file = await ctx.db.publicationFile.findUniqueOrThrow({
    where: {
      publicationId_path: { publicationId: dist.currentPublicationId!, path: 'dists/bookworm/Release' },
    },
  });
  return readFileSync(join(ctx.config.storage, file.storageKey), 'utf8');
}
const field = (text: string, name: string) =>
  Date.parse(new RegExp(`^${name}: (.+)$`, 'm').exec(text)![1]!.replace(' UTC', ' GMT'));

beforeAll(async () => {
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_VALID_UNTIL_UNIT_SECONDS: '60' }));
  work = mkdtempSync(join(tmpdir(), 'pallet-valid-until-'));
  const s = await signUp(ctx, { email: 'vu@example.test', password: 'long enough password', org: 'vu' });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'vu', { name: 'repo', keyAlgorithm: 'ed25519' });
  const root = join(work, 'deb');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    'Package: vu\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.test>\nDescription: vu\n',
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  const bytes = readFileSync(`${root}.deb`);
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'vu', 'repo', staged, {
    distribution: 'debian/bookworm',
  });
  await ingestPackage(ctx, pkg.id);
  distributionId = (await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } })).distributionId;
  await publishDistributionNow(ctx, distributionId);
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await ctx.queues.close();
});

describe('Valid-Until', () => {
  it('writes Valid-Until = Date + validDays once set, republishing at once', async () => {
    expect(await release()).not.toMatch(/^Valid-Until:/m);
    const before = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    await updateDistribution(ctx, actor, 'vu', 'repo', 'debian/bookworm', { validDays: 3 });
    const after = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    expect(after.generation).toBe(before.generation + 1);
    await publishDistributionNow(ctx, distributionId);
    const text = await release();
    expect(field(text, 'Valid-Until') - field(text, 'Date')).toBe(3 * 60 * 1000);
    // The same validity again changes nothing to publish.
    await updateDistribution(ctx, actor, 'vu', 'repo', 'debian/bookworm', { validDays: 3 });
    expect((await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } })).generation).toBe(
      after.generation,
    );
  });

  it('re-signs only once less than a third of the validity remains', async () => {
    const dist = await ctx.db.distribution.findUniqueOrThrow({
      where: { id: distributionId },
      include: { currentPublication: true },
    });
    const publishedAt = dist.currentPublication!.publishedAt!.getTime();
    const validity = 3 * 60 * 1000;
    expect((await refreshValidUntil(ctx, new Date(publishedAt + validity * 0.6))).republished).toEqual([]);
    expect((await refreshValidUntil(ctx, new Date(publishedAt + validity * 0.7))).republished).toEqual([
      'vu/repo debian/bookworm',
    ]);
    const bumped = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    expect(bumped.generation).toBe(dist.generation + 1);
    // While that publication is pending, the job asks again instead of bumping once more.
    await refreshValidUntil(ctx, new Date(publishedAt + validity * 0.8));
    expect((await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } })).generation).toBe(
      bumped.generation,
    );
    await publishDistributionNow(ctx, distributionId);
    const text = await release();
    expect(field(text, 'Date')).toBeGreaterThan(publishedAt);
    expect(field(text, 'Valid-Until') - field(text, 'Date')).toBe(validity);
  });
});
