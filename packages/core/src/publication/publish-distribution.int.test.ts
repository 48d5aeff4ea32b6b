// Publication against the real database and storage: bursts coalesce, one publication per distribution
// runs at a time, indexes come from rows, by-hash copies exist, Date increases, deletions disappear.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '@pallet/config';
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
import { forgetDebIndexes } from './deb-index-cache';
import { listedBy } from './package-listing';
import { publishDistribution } from './publish-distribution';
import { publishDistributionNow } from './publish-distribution-now';

let ctx: CoreContext;
let actor: Actor;
let work: string;

function buildDeb(name: string, version: string, arch: string): Uint8Array {
  const root = join(work, `${name}-${version}-${arch}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: ${arch}\nMaintainer: T <t@example.test>\nDescription: ${name}\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  return readFileSync(`${root}.deb`);
}

async function add(name: string, version: string, arch: string, distribution = 'debian/bookworm') {
  const bytes = buildDeb(name, version, arch);
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'pub', 'repo', staged, { distribution });
  await ingestPackage(ctx, pkg.id);
  return pkg;
}

/** Every index the Release lists has, in storage, the size, MD5, SHA256 and SHA512 the Release gives. */
async function expectReleaseDigestsOfStoredFiles(text: (path: string) => Promise<Buffer>) {
  const release = (await text('Release')).toString();
  let checked = 0;
  for (const [field, algorithm] of [
    ['MD5Sum', 'md5'],
    ['SHA256', 'sha256'],
    ['SHA512', 'sha512'],
  ] as const) {
    const list = new RegExp(`^${field}:\\n((?: .+\\n)+)`, 'm').exec(release)![1]!;
    for (const line of list.trim().split('\n')) {
      const [hex, size, path] = line.trim().split(/\s+/) as [string, string, string];
      const bytes = await text(path);
      expect({ path, size: bytes.length, hex: createHash(algorithm).update(bytes).digest('hex') }).toEqual({
        path,
        size: Number(size),
        hex,
      });
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
}

const releaseDate = (text: string) => Date.parse(/^Date: (.+)$/m.exec(text)![1]!.replace(' UTC', ' GMT'));

async function currentFile(distributionId: string, path: string): Promise<string> {
  const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
  const file = await ctx.db.publicationFile.findUniqueOrThrow({
    where: { publicationId_path: { publicationId: dist.currentPublicationId!, path } },
  });
  return readFileSync(join(ctx.config.storage, file.storageKey), 'utf8');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-publish-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const s = await signUp(ctx, { email: 'pub@example.test', password: 'long enough password', org: 'pub' });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'pub', { name: 'repo', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('publishDistribution', () => {
  let distributionId: string;

  it('coalesces a burst into one publication even when two jobs run at once', async () => {
    const a = await add('alpha', '1.0', 'amd64');
    await add('beta', '2.0', 'all');
    await add('gamma', '0.1', 'arm64');
    distributionId = (await ctx.db.package.findUniqueOrThrow({ where: { id: a.id } })).distributionId;
    const results = await Promise.all([
      publishDistribution(ctx, distributionId),
      publishDistribution(ctx, distributionId),
    ]);
    expect(results.filter((r) => !r.skipped)).toHaveLength(1);
    expect(await ctx.db.publication.count({ where: { distributionId } })).toBe(1);
    expect(await ctx.db.package.count({ where: { distributionId, status: 'PUBLISHED' } })).toBe(3);
    expect((await publishDistribution(ctx, distributionId)).skipped).toBe(true);
  });

  it('lists arch-all packages under every architecture and publishes by-hash copies of every index', async () => {
    const amd64 = await currentFile(distributionId, 'dists/bookworm/main/binary-amd64/Packages');
    const arm64 = await currentFile(distributionId, 'dists/bookworm/main/binary-arm64/Packages');
    expect(amd64).toMatch(/^Package: alpha$/m);
    expect(amd64).toMatch(/^Package: beta$/m);
    expect(amd64).not.toMatch(/^Package: gamma$/m);
    expect(arm64).toMatch(/^Package: beta$/m);
    expect(arm64).toMatch(/^Package: gamma$/m);
    const all = await currentFile(distributionId, 'dists/bookworm/main/binary-all/Packages');
    expect([...all.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1])).toEqual(['beta']);
    const release = await currentFile(distributionId, 'dists/bookworm/Release');
    expect(release).toMatch(/^Architectures: all amd64 arm64$/m);
    expect(release).toMatch(/^Acquire-By-Hash: yes$/m);
    const sha512 = /^ ([0-9a-f]{128}) +\d+ main\/binary-amd64\/Packages\.gz$/m.exec(release)?.[1];
    expect(sha512).toBeDefined();
    const byHash = await ctx.db.publicationFile.findFirst({
      where: {
        distributionId,
        path: `dists/bookworm/main/binary-amd64/by-hash/SHA512/${sha512}`,
        immutable: true,
      },
    });
    expect(byHash).not.toBeNull();
    const inRelease = await currentFile(distributionId, 'dists/bookworm/InRelease');
    expect(inRelease).toContain(release.trimEnd().split('\n')[0]);
  });

  it('drops a deleted package at the next publication, with a later Date', async () => {
    const first = await currentFile(distributionId, 'dists/bookworm/Release');
    const gamma = await ctx.db.package.findFirstOrThrow({ where: { distributionId, name: 'gamma' } });
    await deletePackage(ctx, actor, 'pub', 'repo', gamma.id);
    const result = await publishDistributionNow(ctx, distributionId);
    expect(result.skipped).toBe(false);
    // The row stays (a restore of the previous publication brings it back), out of the new package set.
    expect((await ctx.db.package.findUniqueOrThrow({ where: { id: gamma.id } })).status).toBe('REMOVED');
    const publication = await ctx.db.publication.findUniqueOrThrow({ where: { id: result.publicationId! } });
    const listed = await ctx.db.packageListing.findMany({
      where: listedBy(publication),
      select: { packageId: true },
    });
    expect(listed.map((l) => l.packageId)).not.toContain(gamma.id);
    expect(listed).toHaveLength(result.packageCount!);
    expect(await currentFile(distributionId, 'dists/bookworm/main/binary-arm64/Packages')).not.toMatch(
      /gamma/,
    );
    expect(releaseDate(await currentFile(distributionId, 'dists/bookworm/Release'))).toBeGreaterThan(
      releaseDate(first),
    );
    const superseded = await ctx.db.publication.count({ where: { distributionId, status: 'SUPERSEDED' } });
    expect(superseded).toBe(1);
  });

  it('publishes at most once a second: a request within the current Date waits for the next second', async () => {
    await add('alpha', '1.1', 'amd64');
    // The current publication's Date is 3 s ahead (as left by a worker whose clock ran ahead), so the
    // request below certainly falls within it.
    const ahead = Math.floor(Date.now() / 1000) * 1000 + 3000;
    const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    await ctx.db.publication.update({
      where: { id: dist.currentPublicationId! },
      data: { publishedAt: new Date(ahead) },
    });
    const early = await publishDistribution(ctx, distributionId);
    expect(early.skipped).toBe(true);
    expect(early.notBefore?.getTime()).toBe(ahead + 1000);
    expect(await ctx.db.package.count({ where: { distributionId, status: 'PROCESSING' } })).toBe(1);
    expect((await publishDistributionNow(ctx, distributionId)).skipped).toBe(false);
    const date = releaseDate(await currentFile(distributionId, 'dists/bookworm/Release'));
    expect(date).toBeGreaterThan(ahead);
    expect(date).toBeLessThanOrEqual(Date.now());
  });

  it('drops a request for a generation older than the distribution (the newer request follows it)', async () => {
    await add('alpha', '1.4', 'amd64');
    const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    const stale = await publishDistribution(ctx, distributionId, { generation: dist.generation - 1 });
    expect(stale).toEqual({ skipped: true });
    expect((await publishDistributionNow(ctx, distributionId)).skipped).toBe(false);
  });

  it('holds a change while the debounce asks for a pause, and says until when', async () => {
    await add('alpha', '1.5', 'amd64');
    const newest = await ctx.db.package.findFirstOrThrow({ where: { distributionId, version: '1.5' } });
    const held = await publishDistribution(ctx, distributionId, {
      timing: { quietMs: 60_000, maxDelayMs: 120_000 },
    });
    expect(held.skipped).toBe(true);
    expect(held.notBefore!.getTime()).toBeGreaterThanOrEqual(newest.updatedAt.getTime() + 60_000);
    expect(await ctx.db.package.count({ where: { distributionId, status: 'PROCESSING' } })).toBe(1);
    expect((await publishDistributionNow(ctx, distributionId)).skipped).toBe(false);
  });

  it('appends added packages to the current indexes, and rebuilds them in order after a deletion', async () => {
    const zeta = await add('zeta', '1.0', 'amd64', 'debian/trixie');
    await add('mid', '1.0', 'amd64', 'debian/trixie');
    const trixie = (await ctx.db.package.findUniqueOrThrow({ where: { id: zeta.id } })).distributionId;
    await publishDistributionNow(ctx, trixie);
    const file = async (path: string) => {
      const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: trixie } });
      return ctx.db.publicationFile.findUniqueOrThrow({
        where: {
          publicationId_path: { publicationId: dist.currentPublicationId!, path: `dists/trixie/${path}` },
        },
      });
    };
    const text = async (path: string) =>
      readFileSync(join(ctx.config.storage, (await file(path)).storageKey));
    const names = async () =>
      [...(await text('main/binary-amd64/Packages')).toString().matchAll(/^Package: (\S+)$/gm)].map(
        (m) => m[1],
      );
    const before = await text('main/binary-amd64/Packages');
    const arm64Before = (await file('main/binary-arm64/Packages.gz')).storageKey;

    await add('aaa', '1.0', 'amd64', 'debian/trixie');
    const appended = await publishDistributionNow(ctx, trixie);
    expect(appended.packageCount).toBe(3);
    // Appended at the end (a rebuild would sort aaa first); the arm64 index is the same object.
    expect(await names()).toEqual(['mid', 'zeta', 'aaa']);
    const after = await text('main/binary-amd64/Packages');
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(gunzipSync(await text('main/binary-amd64/Packages.gz')).equals(after)).toBe(true);
    expect((await file('main/binary-arm64/Packages.gz')).storageKey).toBe(arm64Before);
    const release = (await text('Release')).toString();
    expect(release).toContain(` ${(await file('main/binary-amd64/Packages.gz')).sha256} `);
    await expectReleaseDigestsOfStoredFiles(text);

    // Again from memory (this process built the current publication), then as a worker that did not.
    await add('bbb', '1.0', 'amd64', 'debian/trixie');
    expect((await publishDistributionNow(ctx, trixie)).packageCount).toBe(4);
    forgetDebIndexes();
    await add('ccc', '1.0', 'all', 'debian/trixie');
    expect((await publishDistributionNow(ctx, trixie)).packageCount).toBe(5);
    expect(await names()).toEqual(['mid', 'zeta', 'aaa', 'bbb', 'ccc']);
    const last = await text('main/binary-amd64/Packages');
    expect(gunzipSync(await text('main/binary-amd64/Packages.gz')).equals(last)).toBe(true);
    await expectReleaseDigestsOfStoredFiles(text);

    await deletePackage(ctx, actor, 'pub', 'repo', zeta.id);
    const rebuilt = await publishDistributionNow(ctx, trixie);
    expect(rebuilt.packageCount).toBe(4);
    expect(await names()).toEqual(['aaa', 'bbb', 'ccc', 'mid']);
    expect(
      gunzipSync(await text('main/binary-amd64/Packages.gz')).equals(
        await text('main/binary-amd64/Packages'),
      ),
    ).toBe(true);
  });

  it('rebuilds from rows instead of appending to an index whose stored bytes were changed', async () => {
    const zz = await add('zz-tool', '1.0', 'amd64', 'debian/sid');
    const sid = (await ctx.db.package.findUniqueOrThrow({ where: { id: zz.id } })).distributionId;
    await publishDistributionNow(ctx, sid);
    const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: sid } });
    const stored = await ctx.db.publicationFile.findUniqueOrThrow({
      where: {
        publicationId_path: {
          publicationId: dist.currentPublicationId!,
          path: 'dists/sid/main/binary-amd64/Packages',
        },
      },
    });
    const path = join(ctx.config.storage, stored.storageKey);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Package: zz-tool', 'Package: zz-evil'));
    // A worker that did not build the publication reads its indexes from storage.
    forgetDebIndexes();

    await add('aa-tool', '1.0', 'amd64', 'debian/sid');
    expect((await publishDistributionNow(ctx, sid)).packageCount).toBe(2);
    const index = await currentFile(sid, 'dists/sid/main/binary-amd64/Packages');
    expect([...index.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1])).toEqual(['aa-tool', 'zz-tool']);
  });
});
