// Garbage collection: removes what nothing serves any more, never what something still references.
//  1. superseded publications' files past the retention period (PALLET_RETAIN_SUPERSEDED_HOURS): their
//     PublicationFile rows, and each `files/sha256/...` object no retained publication also uses;
//  2. Blob rows (and objects) no Package row (any status), no download name still serving them
//     (claim-file-name.ts) and no rpm name's signed copy references, last touched before the grace period;
//  3. objects under `uploads/`, `signed/`, `files/` without any row (a crash between writing the bytes
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
  /** superseded publications whose files were (or would be) dropped */
  publications: number;
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
  const add = (kind: GcKind, key: string, bytes: number) => {
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
  await collectPublicationFiles(
    ctx,
    new Date(now - ctx.config.retainSupersededMs),
    dryRun,
    batchSize,
    report,
    remove,
  );
  await collectBlobs(ctx, new Date(now - ctx.config.retainSupersededMs), dryRun, batchSize, remove);
  const tempCutoff = new Date(now - ctx.config.gc.tempAgeMs);
  await collectOrphans(ctx, tempCutoff, batchSize, remove);
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
      objects: total.count,
      bytes: total.bytes,
      failures: report.failures.length,
    },
    dryRun ? 'garbage collection dry run' : 'garbage collected',
  );
  return report;
}

type Remove = (kind: GcKind, key: string, bytes: number) => Promise<boolean>;

/** Publications a client may no longer be sent to: superseded (or failed) before the cutoff, never current. */
function expiredPublicationIds(ctx: CoreContext, cutoff: Date) {
  return ctx.db.publication.findMany({
    where: {
      OR: [
        { status: 'SUPERSEDED', supersededAt: { lt: cutoff } },
        { status: 'FAILED', createdAt: { lt: cutoff } },
      ],
      currentOf: null,
      files: { some: {} },
    },
    select: { id: true },
  });
}

async function collectPublicationFiles(
  ctx: CoreContext,
  cutoff: Date,
  dryRun: boolean,
  batchSize: number,
  report: GcReport,
  remove: Remove,
): Promise<void> {
  const expired = (await expiredPublicationIds(ctx, cutoff)).map((p) => p.id);
  report.publications = expired.length;
  if (expired.length === 0) return;
  if (dryRun) {
    for (const f of await unsharedKeys(ctx.db, expired, null))
      await remove('publication-file', f.storageKey, f.size);
    return;
  }
  for (;;) {
    // Under the collection lock: no publication is between "this object is already stored" and its commit.
    const done = await ctx.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GC_LOCK[0]}::int4, ${GC_LOCK[1]}::int4)`;
      const batch = await unsharedKeys(tx, expired, batchSize);
      const gone: string[] = [];
      for (const f of batch)
        if (await remove('publication-file', f.storageKey, f.size)) gone.push(f.storageKey);
      await tx.publicationFile.deleteMany({
        where: { publicationId: { in: expired }, storageKey: { in: gone } },
      });
      return batch.length < batchSize || gone.length === 0;
    }, TX_OPTIONS);
    if (done) break;
  }
  // What is left of them points at objects retained publications still use: only the rows go.
  await ctx.db.publicationFile.deleteMany({ where: { publicationId: { in: expired } } });
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

async function collectBlobs(
  ctx: CoreContext,
  nameCutoff: Date,
  dryRun: boolean,
  batchSize: number,
  remove: Remove,
): Promise<void> {
  const graceSeconds = ctx.config.gc.blobGraceMs / 1000;
  // Every reference to a Blob. A table that starts referencing blobs must be added here.
  const candidates = (afterId: string) =>
    ctx.db.$queryRaw<{ id: string; storageKey: string; size: bigint }[]>`
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
    if (dryRun) {
      for (const b of batch) await remove('blob', b.storageKey, Number(b.size));
      continue;
    }
    // The row goes first, re-checked in the DELETE itself: an upload that found the blob meanwhile
    // holds its row lock (recordBlob's ON CONFLICT DO UPDATE) and moved `touchedAt`, which the
    // re-check after the lock sees. Once the row is gone, equal bytes get a new row and a new key.
    const deleted = await ctx.db.$queryRaw<{ storageKey: string; size: bigint }[]>`
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
          await ctx.db.blob.findMany({
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
    await ctx.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${GC_LOCK[0]}::int4, ${GC_LOCK[1]}::int4)`;
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
    }, TX_OPTIONS);
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
