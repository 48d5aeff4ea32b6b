// The garbage collection scenario run against the real database on each storage driver (filesystem,
// and s3rver over HTTP; one test file each, so each has its own database): what a retained state needs
// stays, everything else goes, a dry run changes nothing, and a blob an upload finds while a collection
// runs survives it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { FS_TEMP_FILE_PREFIX } from '@pallet/storage';
import {
  listStorageKeys,
  S3RVER_CREDENTIALS,
  type S3TestServer,
  startS3TestServer,
} from '@pallet/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { deletePackage } from '../package/delete-package';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { recordBlob, storeBytes } from '../package/store-blob';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { collectGarbage } from './collect-garbage';

let work: string;
let s3: S3TestServer | undefined;

afterAll(async () => {
  await s3?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function buildDeb(version: string, body: string): Buffer {
  const root = join(work, `hello-${version}-${body.length}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc/hello'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: hello\nVersion: ${version}\nArchitecture: all\nMaintainer: T <t@example.test>\nDescription: hello\n`,
  );
  writeFileSync(join(root, 'usr/share/doc/hello/README'), body);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  return readFileSync(`${root}.deb`);
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

export function collectGarbageScenario(kind: 'fs' | 's3') {
  describe(`collectGarbage on ${kind} storage`, () => {
    const org = `gc${kind}`;
    let env: NodeJS.ProcessEnv;
    let ctx: CoreContext;
    let actor: Actor;
    const contexts: CoreContext[] = [];

    /** A context on the same database and storage with other collection settings. */
    function withSettings(settings: Record<string, string>): CoreContext {
      const c = createCoreContext(loadConfig({ ...env, ...settings }));
      contexts.push(c);
      return c;
    }

    async function keys(): Promise<string[]> {
      const all = await listStorageKeys(
        ctx.storage,
        '',
        kind === 's3' ? { endpoint: s3!.endpoint, ...S3RVER_CREDENTIALS } : undefined,
      );
      return all.filter((k) => !k.split('/').pop()!.startsWith(FS_TEMP_FILE_PREFIX));
    }

    async function upload(version: string, body: string, overwrite = false) {
      const staged = await stageUpload(ctx, once(buildDeb(version, body)), { maxBytes: 1 << 30 });
      const { package: pkg } = await uploadPackage(ctx, actor, org, 'tools', staged, {
        distribution: 'debian/bookworm',
        overwrite,
      });
      await ingestPackage(ctx, pkg.id);
      const row = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
      await publishDistributionNow(ctx, row.distributionId);
      return row;
    }

    /** What the current state needs: current publications' files and every referenced blob. */
    async function needed(): Promise<string[]> {
      const files = await ctx.db.publicationFile.findMany({
        where: { publication: { currentOf: { isNot: null } } },
        select: { storageKey: true },
      });
      const pkgs = await ctx.db.package.findMany({ include: { blob: true, servedBlob: true } });
      const set = new Set([
        ...files.map((f) => f.storageKey),
        ...pkgs.flatMap((p) => [p.blob.storageKey, p.servedBlob?.storageKey ?? p.blob.storageKey]),
      ]);
      return [...set].sort();
    }

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'pallet-gc-int-'));
      if (kind === 's3') s3 = await startS3TestServer('pallet-gc');
      env =
        kind === 'fs'
          ? { ...process.env, PALLET_STORAGE: join(work, 'storage') }
          : {
              ...process.env,
              PALLET_STORAGE: `s3://pallet-gc/${org}`,
              PALLET_S3_ENDPOINT: s3!.endpoint,
              AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
              AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
            };
      ctx = withSettings({});
      const s = await signUp(ctx, { email: `${org}@example.test`, password: 'long enough password', org });
      actor = await authenticateToken(ctx, s.token);
      await createRepository(ctx, actor, org, { name: 'tools', keyAlgorithm: 'ed25519' });
    });

    afterAll(async () => {
      for (const c of contexts) {
        await c.queues.close();
        (c.storage as { destroy?: () => void }).destroy?.();
      }
    });

    it('keeps what is referenced or recent, and removes the rest down to what the retained state needs', async () => {
      const first = await upload('1.0', 'one');
      await upload('1.1', 'one point one');
      // An overwrite: the old bytes stay served under their old name for the retention period.
      await upload('1.1', 'one point one, rebuilt', true);
      await deletePackage(ctx, actor, org, 'tools', first.id);
      await publishDistributionNow(ctx, first.distributionId);
      // Crash debris: an object without a row in each area, and (on disk) a temporary file.
      await ctx.storage.put('uploads/2020/01/crashed-before-its-row', 'x'.repeat(100));
      await ctx.storage.put(`files/sha256/00/${'0'.repeat(64)}`, 'y'.repeat(50));
      const temp = join(work, 'storage', 'uploads', `${FS_TEMP_FILE_PREFIX}crashed`);
      if (kind === 'fs') writeFileSync(temp, 'z'.repeat(70));
      const before = await keys();
      expect(before.length).toBeGreaterThan((await needed()).length);

      // Default margins: everything is too recent (or still retained) to go.
      const cautious = await collectGarbage(withSettings({}));
      expect(cautious.items).toEqual([]);
      expect(await keys()).toEqual(before);

      const sweeping = withSettings({
        PALLET_RETAIN_SUPERSEDED_HOURS: '0',
        PALLET_GC_GRACE_MINUTES: '0',
        PALLET_GC_TEMP_AGE_HOURS: '0',
      });
      const dry = await collectGarbage(sweeping, { dryRun: true });
      // The deleted 1.0 and the overwritten 1.1: their REMOVED rows, then their blobs.
      expect(dry.packages).toBe(2);
      expect(dry.totals.blob.count).toBe(2);
      expect(dry.totals['publication-file'].count).toBeGreaterThan(0);
      expect(dry.totals.orphan.count).toBe(2);
      expect(dry.totals.temporary.count).toBe(kind === 'fs' ? 1 : 0);
      expect(await keys()).toEqual(before);

      const run = await collectGarbage(sweeping);
      const after = await keys();
      expect(after).toEqual(await needed());
      expect(
        run.items
          .filter((i) => i.kind !== 'temporary')
          .map((i) => i.key)
          .sort(),
      ).toEqual(before.filter((k) => !after.includes(k)));
      expect(run.items.map((i) => i.key).sort()).toEqual(dry.items.map((i) => i.key).sort());
      expect(run.failures).toEqual([]);
      if (kind === 'fs') expect(() => readFileSync(temp)).toThrow();
      // Superseded publications past retention are gone, with their files and package sets.
      expect(await ctx.db.publication.count({ where: { status: 'SUPERSEDED' } })).toBe(0);
      expect(await ctx.db.package.count({ where: { status: 'REMOVED' } })).toBe(0);
      const audit = await ctx.db.auditEvent.findMany({ where: { action: { in: ['gc.run', 'gc.dry_run'] } } });
      expect(audit.map((a) => a.action).sort()).toEqual(['gc.dry_run', 'gc.run', 'gc.run']);
      expect(audit.every((a) => a.actorType === 'system')).toBe(true);

      // A second run finds nothing more.
      expect((await collectGarbage(sweeping)).items).toEqual([]);
    });

    it('leaves a blob alone that an upload finds while the collection runs, and takes it once it is not', async () => {
      const pkg = await upload('2.0', 'two');
      const blob = await ctx.db.blob.findUniqueOrThrow({ where: { id: pkg.blobId } });
      await deletePackage(ctx, actor, org, 'tools', pkg.id);
      await publishDistributionNow(ctx, pkg.distributionId);
      const ageOut = () =>
        ctx.db
          .$executeRaw`UPDATE "Blob" SET "touchedAt" = "touchedAt" - interval '1 day' WHERE "id" = ${blob.id}`;
      await ageOut();
      const gc = withSettings({ PALLET_GC_GRACE_MINUTES: '1', PALLET_RETAIN_SUPERSEDED_HOURS: '0' });

      // An upload of the same bytes records its blob (finding this row) in its transaction, and the
      // collection starts before that transaction commits.
      const again = await storeBytes(ctx, once(buildDeb('2.0', 'two')), { kind: 'uploads' });
      let collecting: Promise<Awaited<ReturnType<typeof collectGarbage>>> | undefined;
      await ctx.db.$transaction(async (tx) => {
        const { blob: found, created } = await recordBlob(tx, { ...again, sha256: blob.sha256 });
        expect(created).toBe(false);
        expect(found.id).toBe(blob.id);
        collecting = collectGarbage(gc);
        await new Promise((r) => setTimeout(r, 500));
      });
      await ctx.storage.delete(again.storageKey);
      const during = await collecting!;
      expect(during.items.map((i) => i.key)).not.toContain(blob.storageKey);
      expect(await ctx.db.blob.findUnique({ where: { id: blob.id } })).not.toBeNull();
      expect(await ctx.storage.head(blob.storageKey)).not.toBeNull();

      // Nothing found it since: once its touch is older than the grace, it goes.
      await ageOut();
      const later = await collectGarbage(gc);
      expect(later.items.map((i) => i.key)).toContain(blob.storageKey);
      expect(await ctx.db.blob.findUnique({ where: { id: blob.id } })).toBeNull();
      expect(await ctx.storage.head(blob.storageKey)).toBeNull();
    });
  });
}
