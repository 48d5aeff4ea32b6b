// SBOMs of real publications: 1,000 bulk-inserted .deb rows published for real, a real signed rpm and a
// real Debian package, validated against the official CycloneDX 1.6 and SPDX 2.3 schemas.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycloneDxErrors, spdxErrors } from '../../../../test/sbom-schemas';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { ensureDistribution } from '../distribution/ensure-distribution';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { getPublicationSbom } from './get-publication-sbom';
import { listedBy } from './package-listing';
import { publishDistributionNow } from './publish-distribution-now';

// biome-ignore lint/suspicious/noExplicitAny: the SBOMs are read as plain JSON
type JsonDoc = any;

let ctx: CoreContext;
let owner: Actor;
let stranger: Actor;
let work: string;
let bulkPublicationId: string;
const COUNT = 1000;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function upload(bytes: Uint8Array, distribution: string) {
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, owner, 'acme', 'tools', staged, { distribution });
  await ingestPackage(ctx, pkg.id);
  return pkg;
}

async function publish(distributionId: string): Promise<string> {
  // A distribution publishes at most once a second: wait for its turn rather than race the clock.
  const result = await publishDistributionNow(ctx, distributionId);
  expect(result.publicationId).toBeDefined();
  return result.publicationId as string;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-sbom-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  owner = await authenticateToken(
    ctx,
    (await signUp(ctx, { email: 'o@acme.test', password: 'long enough password', org: 'acme' })).token,
  );
  stranger = await authenticateToken(
    ctx,
    (await signUp(ctx, { email: 'o@globex.test', password: 'long enough password', org: 'globex' })).token,
  );
  await createRepository(ctx, owner, 'acme', { name: 'tools', keyAlgorithm: 'ed25519' });
  const repo = await ctx.db.repository.findFirstOrThrow({ where: { slug: 'tools', org: { slug: 'acme' } } });
  await createRepository(ctx, stranger, 'globex', { name: 'tools', keyAlgorithm: 'ed25519' });
  const dist = await ctx.db.$transaction((tx) =>
    ensureDistribution(
      tx,
      repo.id,
      'deb',
      { name: 'debian/bookworm', distro: 'debian', release: 'bookworm' },
      'main',
    ),
  );
  const blobs = Array.from({ length: COUNT }, () => {
    const sha256 = hex(32);
    return {
      sha256,
      sha512: hex(64),
      sha1: hex(20),
      md5: hex(16),
      size: 1234n,
      storageKey: `bulk/${sha256}`,
    };
  });
  await ctx.db.blob.createMany({ data: blobs });
  const blobIds = await ctx.db.blob.findMany({ where: { storageKey: { startsWith: 'bulk/' } } });
  await ctx.db.package.createMany({
    data: blobIds.map((blob, i) => {
      const name = `bulk-${String(i).padStart(4, '0')}`;
      const version = i % 10 === 0 ? `1:${i}.0~rc1+dfsg-1` : `${i}.0-1`;
      const filename = `pool/bookworm/main/b/${name}/${name}_${version.replace(/^\d+:/, '')}_amd64.deb`;
      return {
        repositoryId: repo.id,
        distributionId: dist.id,
        format: 'DEB' as const,
        component: 'main',
        name,
        version,
        architecture: 'amd64',
        status: 'PROCESSING' as const,
        blobId: blob.id,
        servedBlobId: blob.id,
        filename,
        metadata: {},
        licenses: i % 2 ? ['GPL-2.0-or-later OR Artistic-1.0', 'MIT'] : ['LicenseRef-BSD-variant'],
        indexEntry: `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nFilename: ${filename}\nSize: 1234\nSHA256: ${blob.sha256}\n`,
      };
    }),
  });
  bulkPublicationId = await publish(dist.id);
}, 240_000);

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('SBOM of a 1,000-package publication', () => {
  it('is valid CycloneDX 1.6 listing every package once, with the InRelease digest', async () => {
    const sbom = await getPublicationSbom(ctx, owner, 'acme', 'tools', bulkPublicationId, {
      format: 'cyclonedx',
    });
    expect(sbom.contentType).toBe('application/vnd.cyclonedx+json; version=1.6');
    const doc = sbom.document as JsonDoc;
    expect(cycloneDxErrors(doc)).toEqual([]);
    expect(doc.components).toHaveLength(COUNT);
    const names = new Set(doc.components.map((c: { name: string }) => c.name));
    expect(names.size).toBe(COUNT);
    expect(new Set(doc.components.map((c: { purl: string }) => c.purl)).size).toBe(COUNT);
    const pub = await ctx.db.publication.findUniqueOrThrow({ where: { id: bulkPublicationId } });
    expect(pub.packageCount).toBe(COUNT);
    expect(doc.metadata.component.hashes).toEqual([{ alg: 'SHA-256', content: pub.releaseSha256 }]);
    const inRelease = await ctx.db.publicationFile.findUniqueOrThrow({
      where: { publicationId_path: { publicationId: pub.id, path: 'dists/bookworm/InRelease' } },
    });
    expect(inRelease.sha256).toBe(pub.releaseSha256);
    const first = doc.components.find((c: { name: string }) => c.name === 'bulk-0010');
    expect(first.purl).toMatch(
      /^pkg:deb\/acme\/bulk-0010@1:10\.0~rc1%2Bdfsg-1\?arch=amd64&distro=bookworm&repository_url=/,
    );
  });

  it('is valid SPDX 2.3 listing every package once', async () => {
    const sbom = await getPublicationSbom(ctx, owner, 'acme', 'tools', bulkPublicationId, { format: 'spdx' });
    const doc = sbom.document as JsonDoc;
    expect(spdxErrors(doc)).toEqual([]);
    const packages = doc.packages.filter((p: { SPDXID: string }) => p.SPDXID !== 'SPDXRef-Publication');
    expect(packages).toHaveLength(COUNT);
    expect(new Set(packages.map((p: { name: string }) => p.name)).size).toBe(COUNT);
    expect(doc.hasExtractedLicensingInfos.map((l: { licenseId: string }) => l.licenseId)).toEqual([
      'LicenseRef-BSD-variant',
    ]);
  });

  it("answers 404 for another org's publication, from its own repository or from the owner's", async () => {
    await expect(
      getPublicationSbom(ctx, stranger, 'globex', 'tools', bulkPublicationId, {}),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      getPublicationSbom(ctx, stranger, 'acme', 'tools', bulkPublicationId, {}),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('falls back to the rows for a current publication made before package sets were recorded', async () => {
    const pub = await ctx.db.publication.findUniqueOrThrow({ where: { id: bulkPublicationId } });
    const where = listedBy(pub);
    const listed = await ctx.db.packageListing.findMany({ where });
    expect(listed).toHaveLength(COUNT);
    await ctx.db.packageListing.deleteMany({ where });
    try {
      const doc = (await getPublicationSbom(ctx, owner, 'acme', 'tools', bulkPublicationId, {}))
        .document as JsonDoc;
      expect(doc.components).toHaveLength(COUNT);
    } finally {
      await ctx.db.packageListing.createMany({ data: listed });
    }
  });

  it('refuses an unknown format with 400', async () => {
    await expect(
      getPublicationSbom(ctx, owner, 'acme', 'tools', bulkPublicationId, { format: 'swid' }),
    ).rejects.toBeInstanceOf(InvalidRequest);
  });
});

describe('SBOM of real packages', () => {
  it('covers a real Debian package with its DEP-5 licenses', async () => {
    const libbz2 = join(import.meta.dirname, '../../../deb/fixtures/libbz2-1.0_1.0.8-5+b1_amd64.deb');
    const pkg = await upload(readFileSync(libbz2), 'debian/trixie');
    const dist = await ctx.db.distribution.findFirstOrThrow({ where: { name: 'debian/trixie' } });
    const id = await publish(dist.id);
    const doc = (await getPublicationSbom(ctx, owner, 'acme', 'tools', id, {})).document as JsonDoc;
    expect(cycloneDxErrors(doc)).toEqual([]);
    expect(doc.components).toEqual([
      expect.objectContaining({
        name: 'libbz2-1.0',
        version: '1.0.8-5+b1',
        purl: expect.stringMatching(
          /^pkg:deb\/acme\/libbz2-1.0@1.0.8-5%2Bb1\?arch=amd64&distro=trixie&repository_url=/,
        ),
        hashes: [
          { alg: 'SHA-256', content: pkg.sha256 },
          { alg: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) },
        ],
        licenses: [{ expression: 'LicenseRef-BSD-variant AND GPL-2.0-only' }],
      }),
    ]);
  });

  it('covers a signed rpm with its epoch, License tag and the served (signed) bytes', async () => {
    const top = join(work, 'rpmbuild');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    const spec = join(top, 'SPECS', 'zeta.spec');
    writeFileSync(
      spec,
      'Name: Zeta\nEpoch: 2\nVersion: 1.0\nRelease: 1.el9\nSummary: t\nLicense: GPLv2+ and MIT\nBuildArch: noarch\n%description\nt\n%files\n',
    );
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', spec], {
      env: { ...process.env, HOME: work },
      stdio: 'ignore',
    });
    const pkg = await upload(readFileSync(join(top, 'RPMS/noarch/Zeta-1.0-1.el9.noarch.rpm')), 'el/9');
    const row = await ctx.db.package.findUniqueOrThrow({
      where: { id: pkg.id },
      include: { servedBlob: true },
    });
    expect(row.servedBlob?.sha256).not.toBe(pkg.sha256); // the served copy is signed
    const dist = await ctx.db.distribution.findFirstOrThrow({ where: { name: 'el/9' } });
    const id = await publish(dist.id);
    const cdx = await getPublicationSbom(ctx, owner, 'acme', 'tools', id, { format: 'cyclonedx' });
    const doc = cdx.document as JsonDoc;
    expect(cycloneDxErrors(doc)).toEqual([]);
    expect(doc.metadata.component.properties).toContainEqual({
      name: 'pallet:publication:index',
      value: 'repodata/repomd.xml',
    });
    expect(doc.components[0]).toMatchObject({
      name: 'Zeta',
      purl: expect.stringMatching(
        /^pkg:rpm\/acme\/Zeta@1\.0-1\.el9\?arch=noarch&distro=el-9&epoch=2&repository_url=/,
      ),
      hashes: [{ alg: 'SHA-256', content: row.servedBlob?.sha256 }, { alg: 'SHA-512' }],
      licenses: [{ expression: 'GPL-2.0-or-later AND MIT' }],
    });
    const spdx = (await getPublicationSbom(ctx, owner, 'acme', 'tools', id, { format: 'spdx' }))
      .document as JsonDoc;
    expect(spdxErrors(spdx)).toEqual([]);
  });

  it('keeps the SBOM of a superseded publication exact: its own package set and bytes', async () => {
    const dist = await ctx.db.distribution.findFirstOrThrow({ where: { name: 'debian/trixie' } });
    const old = dist.currentPublicationId as string;
    const hello = join(import.meta.dirname, '../../../deb/fixtures/hello_2.10-3_amd64.deb');
    await upload(readFileSync(hello), 'debian/trixie');
    const current = await publish(dist.id);
    const names = async (id: string) =>
      ((await getPublicationSbom(ctx, owner, 'acme', 'tools', id, {})).document as JsonDoc).components.map(
        (c: { name: string }) => c.name,
      );
    expect(await names(current)).toEqual(['hello', 'libbz2-1.0']);
    expect(await names(old)).toEqual(['libbz2-1.0']);
    const doc = (await getPublicationSbom(ctx, owner, 'acme', 'tools', old, { format: 'spdx' }))
      .document as JsonDoc;
    expect(spdxErrors(doc)).toEqual([]);
  });

  it('answers 409 for a publication that was never published', async () => {
    const dist = await ctx.db.distribution.findFirstOrThrow({ where: { name: 'debian/trixie' } });
    const failed = await ctx.db.publication.create({
      data: { distributionId: dist.id, generation: 999, status: 'FAILED', error: 'test' },
    });
    await expect(getPublicationSbom(ctx, owner, 'acme', 'tools', failed.id, {})).rejects.toBeInstanceOf(
      Conflict,
    );
  });
});
