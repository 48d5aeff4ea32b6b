// Batch ingestion against the real PostgreSQL, Redis and filesystem storage: one call prepares every
// package waiting in a distribution, bumps its generation once and asks for one publication; a package of
// another distribution waits for its own; the scan of the batch records findings for an advised package
// only; uploads queue one ingestion per distribution, however many packages wait.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../advisory/import-advisories';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { ingestPendingPackages } from './ingest-pending-packages';
import { stageUpload } from './stage-upload';
import { uploadPackage } from './upload-package';

let ctx: CoreContext;
let owner: Actor;
let work: string;

function buildDeb(name: string, version: string): Uint8Array {
  const root = join(work, `${name}-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nMaintainer: T <t@example.test>\nDescription: test\n`,
  );
  writeFileSync(join(root, 'file.txt'), root);
  const out = `${root}.deb`;
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore' });
  return readFileSync(out);
}

/** Uploads a generated .deb; returns its Package row. */
async function upload(name: string, version: string, distribution = 'debian/bookworm') {
  const bytes = buildDeb(name, version);
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: view } = await uploadPackage(ctx, owner, 'acme', 'tools', staged, { distribution });
  return ctx.db.package.findUniqueOrThrow({ where: { id: view.id } });
}

async function jobs(queue: 'ingest' | 'publish') {
  const q = ctx.queues.queues[queue];
  return [...(await q.getWaiting()), ...(await q.getDelayed())];
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-ingest-batch-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const a = await signUp(ctx, { email: 'owner@acme.test', password: 'long enough password', org: 'acme' });
  owner = await authenticateToken(ctx, a.token);
  await createRepository(ctx, owner, 'acme', { name: 'tools', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('ingesting the packages waiting in a distribution', () => {
  it('queues one ingestion per distribution and prepares all of its packages in one call', async () => {
    const uploaded = [];
    for (let i = 0; i < 4; i++) uploaded.push(await upload(`batch-${i}`, '1.0'));
    const other = await upload('elsewhere', '1.0', 'debian/trixie');
    const ingestJobs = await jobs('ingest');
    expect(
      ingestJobs.map((j) => j.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      [...new Set([uploaded[0]!.distributionId, other.distributionId])]
        .map((distributionId) => ({ distributionId }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );

    const dist = uploaded[0]!.distributionId;
    const before = await ctx.db.distribution.findUniqueOrThrow({ where: { id: dist } });
    expect(await ingestPendingPackages(ctx, dist)).toEqual({ ingested: 4, failed: [] });
    const rows = await ctx.db.package.findMany({
      where: { id: { in: uploaded.map((p) => p.id) } },
      include: { blob: true },
    });
    for (const row of rows) {
      expect(row.indexEntry).toContain(`Package: ${row.name}\n`);
      expect(row.indexEntry).toContain(`SHA256: ${row.blob.sha256}\n`);
      expect(row.servedBlobId).toBe(row.blobId);
    }
    const after = await ctx.db.distribution.findUniqueOrThrow({ where: { id: dist } });
    expect(after.generation).toBe(before.generation + 1);
    const publishJobs = (await jobs('publish')).filter((j) => j.data.distributionId === dist);
    expect(publishJobs.map((j) => j.data)).toEqual([{ distributionId: dist, generation: after.generation }]);
    // The other distribution's package waits for its own ingestion.
    const waiting = await ctx.db.package.findUniqueOrThrow({ where: { id: other.id } });
    expect(waiting.indexEntry).toBeNull();
    // Nothing left: a second call changes nothing and asks for no publication.
    expect(await ingestPendingPackages(ctx, dist)).toEqual({ ingested: 0, failed: [] });
    expect((await ctx.db.distribution.findUniqueOrThrow({ where: { id: dist } })).generation).toBe(
      after.generation,
    );
  });

  it('records findings for an advised package of the batch and none for the others', async () => {
    const dir = mkdtempSync(join(work, 'osv-'));
    writeFileSync(
      join(dir, 'DSA-9999-1.json'),
      JSON.stringify({
        id: 'DSA-9999-1',
        modified: '2026-01-02T00:00:00Z',
        summary: 'vulnerable - security update',
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: 'vulnerable' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
          },
        ],
      }),
    );
    await importAdvisories(ctx, dir);
    const bad = await upload('vulnerable', '1.5', 'debian/bookworm');
    const good = await upload('harmless', '1.5', 'debian/bookworm');
    expect(await ingestPendingPackages(ctx, bad.distributionId)).toEqual({ ingested: 2, failed: [] });
    const findings = await ctx.db.finding.findMany({ where: { packageId: { in: [bad.id, good.id] } } });
    expect(findings.map((f) => [f.packageId, f.advisoryId, f.fixedVersion])).toEqual([
      [bad.id, 'DSA-9999-1', '2.0'],
    ]);
    const audit = await ctx.db.auditEvent.findMany({ where: { action: 'vulnerability.found' } });
    expect(audit.map((a) => a.targetId)).toEqual([bad.id]);
  });
});
