// rpm publication against the real database and storage: a publication that only adds packages
// appends them to the current repodata (its compressed entries reused as they are, added entries
// last), and any removal rebuilds every document from rows, in name order.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '@pallet/config';
import { buildRpm, openRepodataBase } from '@pallet/rpm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { deletePackage } from '../package/delete-package';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { forgetKeptRpmRepodataBases } from './load-rpm-repodata-base';
import { listedBy } from './package-listing';
import { publishDistributionNow } from './publish-distribution-now';

let ctx: CoreContext;
let actor: Actor;
let work: string;

async function add(name: string) {
  const bytes = buildRpm({
    name,
    version: '1.0',
    release: '1',
    summary: name,
    description: `The ${name} package.`,
    license: 'MIT',
    files: [{ path: `/usr/share/${name}/README`, bytes: new TextEncoder().encode(name) }],
    mtime: 1_700_000_000,
  });
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'rpmpub', 'repo', staged, {
    distribution: 'el/9',
  });
  await ingestPackage(ctx, pkg.id);
  return pkg;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-rpm-append-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const s = await signUp(ctx, {
    email: 'rpmpub@example.test',
    password: 'long enough password',
    org: 'rpmpub',
  });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'rpmpub', { name: 'repo', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('rpm publication', () => {
  it('appends added packages to the current repodata, and rebuilds it in order after a deletion', async () => {
    const zeta = await add('zeta');
    await add('mid');
    const distributionId = (await ctx.db.package.findUniqueOrThrow({ where: { id: zeta.id } }))
      .distributionId;
    await publishDistributionNow(ctx, distributionId);
    const files = async () => {
      const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
      const rows = await ctx.db.publicationFile.findMany({
        where: { publicationId: dist.currentPublicationId!, path: { endsWith: '.xml.gz' } },
      });
      const read = (type: string) => {
        const row = rows.find((r) => r.path.endsWith(`-${type}.xml.gz`))!;
        return readFileSync(join(ctx.config.storage, row.storageKey));
      };
      return { primary: read('primary'), filelists: read('filelists'), other: read('other') };
    };
    const names = async () =>
      [
        ...gunzipSync((await files()).primary)
          .toString()
          .matchAll(/<name>([^<]+)<\/name>/g),
      ].map((m) => m[1]);
    expect(await names()).toEqual(['mid', 'zeta']);
    const base = await openRepodataBase(await files(), 2);
    expect(base).not.toBeNull();

    await add('aaa');
    const appended = await publishDistributionNow(ctx, distributionId);
    expect(appended.packageCount).toBe(3);
    // Appended at the end (a rebuild would sort aaa first), the earlier compressed entries reused.
    expect(await names()).toEqual(['mid', 'zeta', 'aaa']);
    const now = await files();
    for (const doc of base!.docs) expect(now[doc.type].includes(doc.entryMembers)).toBe(true);
    expect(gunzipSync(now.filelists).toString()).toMatch(/packages="3">[\s\S]*aaa[\s\S]*<\/filelists>\n$/);
    const publication = await ctx.db.publication.findUniqueOrThrow({
      where: { id: appended.publicationId! },
    });
    expect(await ctx.db.packageListing.count({ where: listedBy(publication) })).toBe(3);

    // Without the repodata the worker kept, the next append reads the current files from storage.
    forgetKeptRpmRepodataBases();
    await add('bbb');
    expect((await publishDistributionNow(ctx, distributionId)).packageCount).toBe(4);
    expect(await names()).toEqual(['mid', 'zeta', 'aaa', 'bbb']);
    const opened = await openRepodataBase(await files(), 4);
    expect(opened?.entryMemberCount).toBe(3);

    await deletePackage(ctx, actor, 'rpmpub', 'repo', zeta.id);
    const rebuilt = await publishDistributionNow(ctx, distributionId);
    expect(rebuilt.packageCount).toBe(3);
    expect(await names()).toEqual(['aaa', 'bbb', 'mid']);
    expect(gunzipSync((await files()).other).toString()).toContain('packages="3"');
  });
});
