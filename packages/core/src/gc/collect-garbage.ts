// Garbage collection: removes what nothing serves any more, never what something still references.
//  1. superseded publications past the retention period (PALLET_RETAIN_SUPERSEDED_HOURS): their rows (with
//     their files and package sets), and each `files/sha256/...` object no retained publication also uses;
//  2. REMOVED package rows (deleted, yanked, moved...) past the retention period that no retained
//     publication lists;
//  3. Blob rows (and objects) no Package row (any status), no download name still serving them
//     (claim-file-name.ts) and no rpm name's signed copy references, last touched before the grace period;
//  4. objects under `uploads/`, `signed/`, `files/` without any row (a crash between writing the bytes
//     and recording them), and crashed writes (temporary files, S3 multipart uploads), once older than
//     PALLET_GC_TEMP_AGE_HOURS.
// Why this is safe while uploads and publications run: docs/architecture.md ("Garbage collection").
import type { Tx } from '@pallet/db';
import type { IncompleteWrite } from '@pallet/storage';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { GC_LOCK } from './gc-lock';

export type GcKind = 'publication-file' | 'blob' | 'orphan' | 'temporary';

export interface GcItem {
  kind: GcKind;
  key: string;
  bytes: number;
}

export interface GcReport {
  dryRun: boolean;
  /** superseded publications past retention that were (or would be) deleted */
  publications: number;
  /** REMOVED package rows past retention that were (or would be) deleted */
  packages: number;
  /** everything removed (or that would be), per storage object */
  items: GcItem[];
  totals: Record<GcKind, { count: number; bytes: number }>;
  /** crashed writes the storage cannot list (S3-compatible servers without ListMultipartUploads) */
  incompleteWritesUnlisted: boolean;
  /** objects whose deletion failed; they are retried by the next run */
  failures: string[];
}

export interface GcOptions {
  dryRun?: boolean;
  /** objects deleted per hold of the collection lock (publications wait meanwhile) */
  batchSize?: number;
}

const ORPHAN_PREFIXES = ['uploads/', 'signed/'] as const;
const CONTENT_PREFIX = 'files/';
/** Every Prisma interactive transaction here may wait for publications to finish first. */
const TX_OPTIONS = { timeout: 10 * 60_000, maxWait: 60_000 } as const;

export async function collectGarbage(ctx: CoreContext, opts: GcOptions = {}): Promise<GcReport> {
  const dryRun = opts.dryRun ?? false;
  const batchSize = opts.batchSize ?? 200;
  const report: GcReport = {
    dryRun,
    publications: 0,
    packages: 0,
    items: [],
    totals: {
      'publication-file': { count: 0, bytes: 0 },
      blob: { count: 0, bytes: 0 },
      orphan: { count: 0, bytes: 0 },
      temporary: { count: 0, bytes: 0 },
    },
    incompleteWritesUnlisted: false,
    failures: [],
  };
  const seen = new Set<string>();
  const add = (kind: GcKind, key: string, bytes: number) => {
    // A dry run keeps the objects, so a later step may meet one again (as an orphan): count it once.
    if (seen.has(key)) return;
    seen.add(key);
    report.items.push({ kind, key, bytes });
    report.totals[kind].count += 1;
    report.totals[kind].bytes += bytes;
  };
  const remove = async (kind: GcKind, key: string, bytes: number): Promise<boolean> => {
    if (!dryRun) {
      try {
        await ctx.storage.delete(key);
      } catch (err) {
        report.failures.push(`${key}: ${(err as Error).message}`);
        return false;
      }
    }
    add(kind, key, bytes);
    return true;
  };

  const now = Date.now();
  const retainedSince = new Date(now - ctx.config.retainSupersededMs);
  const tempCutoff = new Date(now - ctx.config.gc.tempAgeMs);
  const steps = async (db: Tx, locked: Locked) => {
    await collectPublications(ctx, db, locked, retainedSince, batchSize, report, remove);
    report.packages = await collectRemovedPackages(db, retainedSince);
    await collectBlobs(ctx, db, retainedSince, batchSize, remove);
    await collectOrphans(ctx, db, locked, tempCutoff, batchSize, remove);
  };
  if (dryRun) {
    // The same steps in one transaction that is rolled back: what a step would delete changes what the
    // next one finds (a deleted publication frees its packages, which free their blobs).
    await ctx.db
      .$transaction(async (tx) => {
        await steps(tx, (_db, fn) => fn(tx));
        throw ROLLBACK;
      }, TX_OPTIONS)
      .catch((err: unknown) => {
        if (err !== ROLLBACK) throw err;
      });
  } else {
    await steps(ctx.db, (db, fn) =>
      (db as CoreContext['db']).$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GC_LOCK[0]}::int4, ${GC_LOCK[1]}::int4)`;
        return fn(tx);
      }, TX_OPTIONS),
    );
  }
  await collectIncompleteWrites(ctx, tempCutoff, dryRun, report, add);

  const total = Object.values(report.totals).reduce(
    (a, t) => ({ count: a.count + t.count, bytes: a.bytes + t.bytes }),
    {
      count: 0,
      bytes: 0,
    },
  );
  await recordAuditEvent(ctx.db, {
    orgId: null,
    actor: { kind: 'system' },
    action: dryRun ? 'gc.dry_run' : 'gc.run',
    target: 'storage',
    details: {
      dryRun,
      publications: report.publications,
      packages: report.packages,
      objects: total.count,
      bytes: total.bytes,
      totals: report.totals,
      failures: report.failures.length,
      incompleteWritesUnlisted: report.incompleteWritesUnlisted,
    },
  });
  ctx.log.info(
    {
      dryRun,
      publications: report.publications,
      packages: report.packages,
      objects: total.count,
      bytes: total.bytes,
      failures: report.failures.length,
    },
    dryRun ? 'garbage collection dry run' : 'garbage collected',
  );
  return report;
}

type Remove = (kind: GcKind, key: string, bytes: number) => Promise<boolean>;
/** Runs fn holding the collection lock exclusively (publications wait); a dry run needs no lock. */
type Locked = <T>(db: Tx, fn: (tx: Tx) => Promise<T>) => Promise<T>;
const ROLLBACK = new Error('dry run: roll back');

/** Publications a client may no longer be sent to: superseded (or failed) before the cutoff, never current. */
async function expiredPublicationIds(db: Tx, cutoff: Date): Promise<string[]> {
  const rows = await db.publication.findMany({
    where: {
      OR: [
        { status: 'SUPERSEDED', supersededAt: { lt: cutoff } },
        { status: 'FAILED', createdAt: { lt: cutoff } },
      ],
      currentOf: null,
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

async function collectPublications(
  _ctx: CoreContext,
  db: Tx,
  locked: Locked,
  cutoff: Date,
  batchSize: number,
  report: GcReport,
  remove: Remove,
): Promise<void> {
  const expired = await expiredPublicationIds(db, cutoff);
  report.publications = expired.length;
  if (expired.length === 0) return;
  for (;;) {
    // Under the collection lock: no publication is between "this object is already stored" and its commit.
    const done = await locked(db, async (tx) => {
      const batch = await unsharedKeys(tx, expired, batchSize);
      const gone: string[] = [];
      for (const f of batch)
        if (await remove('publication-file', f.storageKey, f.size)) gone.push(f.storageKey);
      await tx.publicationFile.deleteMany({
        where: { publicationId: { in: expired }, storageKey: { in: gone } },
      });
      return batch.length < batchSize || gone.length === 0;
    });
    if (done) break;
  }
  // The rows go with their remaining files (objects retained publications still use) and package sets.
  // The audit log and the transparency log keep their history.
  await db.publication.deleteMany({ where: { id: { in: expired }, currentOf: null } });
}

/**
 * Objects only these publications use. Content-addressed keys are shared (an unchanged index, the
 * empty Packages of every distribution), so a key goes only when no retained publication has it.
 */
function unsharedKeys(db: Tx, expired: string[], limit: number | null) {
  return db.$queryRaw<{ storageKey: string; size: number }[]>`
    SELECT f."storageKey", max(f."size")::int AS "size"
      FROM "PublicationFile" f
     WHERE f."publicationId" = ANY(${expired}::text[])
       AND NOT EXISTS (SELECT 1 FROM "PublicationFile" k
                        WHERE k."storageKey" = f."storageKey"
                          AND NOT (k."publicationId" = ANY(${expired}::text[])))
     GROUP BY f."storageKey"
     ORDER BY f."storageKey"
     LIMIT ${limit ?? 2147483647}`;
}

/**
 * Package rows out of every index (REMOVED) whose file stopped being served (removedAt + retention) and
 * that no retained publication lists (a restore could bring those back). First the closed listing runs
 * no remaining publication lies in (no later publication can: generations only grow); the foreign key
 * from PackageListing then refuses the delete should a publication list one meanwhile.
 */
async function collectRemovedPackages(db: Tx, cutoff: Date): Promise<number> {
  await db.$executeRaw`
    DELETE FROM "PackageListing" l
     WHERE l."untilGeneration" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "Publication" pub
                        WHERE pub."distributionId" = l."distributionId"
                          AND pub."generation" >= l."fromGeneration"
                          AND pub."generation" < l."untilGeneration")`;
  return db.$executeRaw`
    DELETE FROM "Package" p
     WHERE p."status" = 'REMOVED' AND p."removedAt" < ${cutoff}
       AND NOT EXISTS (SELECT 1 FROM "PackageListing" l WHERE l."packageId" = p."id")`;
}

async function collectBlobs(
  ctx: CoreContext,
  db: Tx,
  nameCutoff: Date,
  batchSize: number,
  remove: Remove,
): Promise<void> {
  const graceSeconds = ctx.config.gc.blobGraceMs / 1000;
  // Every reference to a Blob. A table that starts referencing blobs must be added here.
  const candidates = (afterId: string) =>
    db.$queryRaw<{ id: string; storageKey: string; size: bigint }[]>`
      SELECT b."id", b."storageKey", b."size" FROM "Blob" b
       WHERE b."id" > ${afterId}
         AND b."touchedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${graceSeconds}::float8)
         AND NOT EXISTS (SELECT 1 FROM "Package" p WHERE p."blobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "Package" p WHERE p."servedBlobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "PackageFileName" n WHERE n."servedBlobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "PackageFileName" n
                          WHERE n."uploadSha256" = b."sha256" AND n."supersededAt" > ${nameCutoff})
       ORDER BY b."id"
       LIMIT ${batchSize}`;
  let after = '';
  for (;;) {
    const batch = await candidates(after);
    if (batch.length === 0) return;
    after = batch[batch.length - 1]!.id;
    // The row goes first, re-checked in the DELETE itself: an upload that found the blob meanwhile
    // holds its row lock (recordBlob's ON CONFLICT DO UPDATE) and moved `touchedAt`, which the
    // re-check after the lock sees. Once the row is gone, equal bytes get a new row and a new key.
    const deleted = await db.$queryRaw<{ storageKey: string; size: bigint }[]>`
      DELETE FROM "Blob" b
       WHERE b."id" = ANY(${batch.map((b) => b.id)}::text[])
         AND b."touchedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${graceSeconds}::float8)
         AND NOT EXISTS (SELECT 1 FROM "Package" p WHERE p."blobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "Package" p WHERE p."servedBlobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "PackageFileName" n WHERE n."servedBlobId" = b."id")
         AND NOT EXISTS (SELECT 1 FROM "PackageFileName" n
                          WHERE n."uploadSha256" = b."sha256" AND n."supersededAt" > ${nameCutoff})
      RETURNING b."storageKey", b."size"`;
    // A failed object delete leaves an object without a row: the orphan sweep of a later run takes it.
    for (const b of deleted) await remove('blob', b.storageKey, Number(b.size));
  }
}

async function collectOrphans(
  ctx: CoreContext,
  db: Tx,
  locked: Locked,
  cutoff: Date,
  batchSize: number,
  remove: Remove,
): Promise<void> {
  for (const prefix of ORPHAN_PREFIXES) {
    for await (const page of pages(ctx.storage.list(prefix), batchSize)) {
      const old = page.filter((o) => o.lastModified < cutoff);
      if (old.length === 0) continue;
      const known = new Set(
        (
          await db.blob.findMany({
            where: { storageKey: { in: old.map((o) => o.key) } },
            select: { storageKey: true },
          })
        ).map((b) => b.storageKey),
      );
      for (const o of old) if (!known.has(o.key)) await remove('orphan', o.key, o.size);
    }
  }
  for await (const page of pages(ctx.storage.list(CONTENT_PREFIX), batchSize)) {
    const old = page.filter((o) => o.lastModified < cutoff);
    if (old.length === 0) continue;
    // Under the collection lock, like the publication files: a publication may be about to reuse one.
    await locked(db, async (tx) => {
      const used = new Set(
        (
          await tx.publicationFile.findMany({
            where: { storageKey: { in: old.map((o) => o.key) } },
            select: { storageKey: true },
            distinct: ['storageKey'],
          })
        ).map((f) => f.storageKey),
      );
      for (const o of old) if (!used.has(o.key)) await remove('orphan', o.key, o.size);
    });
  }
}

async function collectIncompleteWrites(
  ctx: CoreContext,
  cutoff: Date,
  dryRun: boolean,
  report: GcReport,
  add: (kind: GcKind, key: string, bytes: number) => void,
): Promise<void> {
  const writes = await ctx.storage.listIncompleteWrites();
  if (writes === null) {
    report.incompleteWritesUnlisted = true;
    return;
  }
  for (const w of writes.filter((x: IncompleteWrite) => x.startedAt < cutoff)) {
    if (!dryRun) {
      try {
        await ctx.storage.abortIncompleteWrite(w);
      } catch (err) {
        report.failures.push(`${w.key}: ${(err as Error).message}`);
        continue;
      }
    }
    add('temporary', w.key, w.size ?? 0);
  }
}

async function* pages<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of source) {
    page.push(item);
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}
