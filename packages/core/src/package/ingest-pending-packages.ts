// Worker step after uploads, one distribution at a time: prepares every package of the distribution
// that waits for it in one go (a burst of uploads is a few batches, not a job each), bumps the
// distribution's generation once so one publication follows, then scans the batch for vulnerabilities.
// .deb entries are rendered from the upload's digests and stored with one statement that also bumps the
// generation (atomic: a retry never finds prepared packages whose publication was not requested). An .rpm
// is signed, so each goes through ingestPackage alone. A package that cannot be prepared is left to a job
// of its own (retries with backoff, then `failed`), so it never holds up the others.
import { type Prisma, rawSql } from '@pallet/db';
import { scanNewPackages } from '../advisory/scan-new-packages';
import type { CoreContext } from '../context/core-context';
import { requestPublication } from '../publication/request-publication';
import { publishKeyringPackages } from '../signing-key/publish-keyring-packages';
import { ingestPackage } from './ingest-package';
import { prepareDeb } from './prepare-deb';

/** Packages read per round; a larger backlog is taken in several rounds of the same job. */
const BATCH = 500;

export interface IngestBatchResult {
  /** packages prepared (and requested for publication) by this call */
  ingested: number;
  /** packages that could not be prepared here: the caller queues each on its own */
  failed: string[];
}

export async function ingestPendingPackages(
  ctx: CoreContext,
  distributionId: string,
): Promise<IngestBatchResult> {
  const result: IngestBatchResult = { ingested: 0, failed: [] };
  for (;;) {
    const pending = await findPendingPackages(ctx, distributionId, result.failed);
    if (pending.length === 0) return result;
    const debs: { id: string; blobId: string; filename: string | null; entry: string; served: string }[] = [];
    const ingested: PendingPackage[] = [];
    for (const pkg of pending) {
      try {
        if (pkg.format === 'DEB') {
          const prepared = prepareDeb(pkg);
          debs.push({
            id: pkg.id,
            blobId: pkg.blobId,
            filename: pkg.filename,
            entry: prepared.indexEntry,
            served: prepared.servedBlobId,
          });
        } else {
          await ingestPackage(ctx, pkg.id);
        }
        ingested.push(pkg);
      } catch (err) {
        ctx.log.warn({ packageId: pkg.id, err: (err as Error).message }, 'ingest failed; retrying it alone');
        result.failed.push(pkg.id);
      }
    }
    if (debs.length > 0) {
      // Guarded by the bytes each entry was prepared from: an overwrite meanwhile must not get it.
      // `updatedAt` stays the upload's: the publication debounce reads the pending changes' times from it,
      // and a batch prepares its packages at one instant although they arrived one by one.
      const rows = await rawSql(ctx.db).query<{ generation: number }>(
        `WITH prepared AS (
           UPDATE "Package" p SET "indexEntry" = v."entry", "servedBlobId" = v."served", "error" = NULL
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                AS v("id", "blobId", "filename", "entry", "served")
           WHERE p."id" = v."id" AND p."blobId" = v."blobId" AND p."filename" IS NOT DISTINCT FROM v."filename"
             AND p."indexEntry" IS NULL AND p."status" IN ('PROCESSING', 'QUARANTINED')
           RETURNING 1)
         UPDATE "Distribution" SET "generation" = "generation" + 1
         WHERE "id" = $1 AND EXISTS (SELECT 1 FROM prepared)
         RETURNING "generation"`,
        [
          distributionId,
          debs.map((d) => d.id),
          debs.map((d) => d.blobId),
          debs.map((d) => d.filename),
          debs.map((d) => d.entry),
          debs.map((d) => d.served),
        ],
      );
      const bumped = rows[0];
      // The debounce counts from the newest upload's time, not from this batch's (which waited to gather).
      const newest = new Date(Math.max(...ingested.map((p) => p.updatedAt.getTime())));
      if (bumped) await requestPublication(ctx, distributionId, bumped.generation, newest);
    }
    result.ingested += ingested.length;
    // Every distribution carries the repository's keyring package (uploaded once per key change).
    // A failure here must not fail the ingestion: the next ingestion or key change retries.
    // (ingestPackage has seen to it for each .rpm.)
    const first = ingested[0];
    const debsBesideKeyring = ingested.some(
      (p) => p.format === 'DEB' && !p.name.endsWith('-archive-keyring'),
    );
    if (ctx.config.keyringPackages && debsBesideKeyring && first) {
      await publishKeyringPackages(ctx, first.repositoryId, { distributionId }).catch((err) =>
        ctx.log.warn(
          { repositoryId: first.repositoryId, distributionId, err: (err as Error).message },
          'could not add the keyring package',
        ),
      );
    }
    await scanNewPackages(ctx, ingested);
    if (pending.length < BATCH) return result;
  }
}

interface PendingPackage {
  id: string;
  format: 'DEB' | 'RPM';
  name: string;
  sourceName: string | null;
  repositoryId: string;
  blobId: string;
  filename: string | null;
  updatedAt: Date;
  /** a .deb's only (what prepareDeb renders its entry from); an .rpm is read again by ingestPackage */
  metadata: Prisma.JsonValue;
  blob: { id: string; size: bigint; md5: string; sha1: string; sha256: string; sha512: string };
}

/** The distribution's packages waiting for preparation, oldest first, with their uploads' digests. */
async function findPendingPackages(
  ctx: CoreContext,
  distributionId: string,
  skip: string[],
): Promise<PendingPackage[]> {
  const rows = await rawSql(ctx.db).query<Omit<PendingPackage, 'blob'> & Omit<PendingPackage['blob'], 'id'>>(
    `SELECT p."id", p."format"::text AS "format", p."name", p."sourceName", p."repositoryId", p."blobId",
            p."filename", p."updatedAt", CASE WHEN p."format" = 'DEB' THEN p."metadata" END AS "metadata",
            b."size", b."md5", b."sha1", b."sha256", b."sha512"
       FROM "Package" p JOIN "Blob" b ON b."id" = p."blobId"
      WHERE p."distributionId" = $1 AND p."status" IN ('PROCESSING', 'QUARANTINED')
        AND p."indexEntry" IS NULL AND p."id" <> ALL($2::text[])
      ORDER BY p."createdAt" LIMIT ${BATCH}`,
    [distributionId, skip],
  );
  return rows.map(({ size, md5, sha1, sha256, sha512, ...p }) => ({
    ...p,
    blob: { id: p.blobId, size, md5, sha1, sha256, sha512 },
  }));
}
