// Takes packages out of the indexes for good (status REMOVED) while keeping their rows: a retained
// publication may still list them (PackageListing), so a restore can bring them back, and /dl keeps
// serving their files for the retention period, as it does a superseded publication's indexes.
import { randomUUID } from 'node:crypto';
import { asRawSql, Prisma, queryRows, type RawSql, type Tx } from '@pallet/db';

export async function removePackages(
  tx: Tx,
  ids: string[],
  extra: { yankedAt?: Date } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await tx.package.updateMany({
    where: { id: { in: ids }, status: { not: 'REMOVED' } },
    data: { status: 'REMOVED', removedAt: new Date(), ...extra },
  });
  return count;
}

/** The columns an archived copy keeps as they were (all but its id, status, removedAt and updatedAt). */
const KEPT_COLUMNS = Prisma.raw(
  [
    'repositoryId',
    'distributionId',
    'format',
    'component',
    'name',
    'version',
    'architecture',
    'error',
    'blobId',
    'servedBlobId',
    'filename',
    'metadata',
    'indexEntry',
    'indexExtra',
    'uploadedBy',
    'createdAt',
    'publishedAt',
    'sourceName',
    'sourceVersion',
    'quarantineReason',
    'licenses',
    'yankedAt',
    'copiedFromId',
  ]
    .map((c) => `"${c}"`)
    .join(', '),
);

/**
 * Before a package row takes other content (an overwrite, a re-upload while its deletion is pending), its
 * current content is kept as a REMOVED row of its own, and the publications that listed the row now list
 * that copy: a restore brings back the bytes a publication served, while the package keeps its id. One
 * statement, nothing when no publication listed the row; a Prisma transaction or a plain one.
 */
export async function archivePackageContent(db: Tx | RawSql, id: string): Promise<void> {
  const now = Prisma.sql`clock_timestamp() AT TIME ZONE 'UTC'`;
  // The listings' foreign key is checked at the end of the statement, when the copy exists.
  await queryRows(
    asRawSql(db),
    Prisma.sql`WITH "copy" AS (
        INSERT INTO "Package" ("id", ${KEPT_COLUMNS}, "status", "removedAt", "updatedAt")
        SELECT ${randomUUID()}, ${KEPT_COLUMNS}, 'REMOVED', ${now}, ${now} FROM "Package"
        WHERE "id" = ${id} AND EXISTS (SELECT 1 FROM "PackageListing" WHERE "packageId" = ${id})
        RETURNING "id")
      UPDATE "PackageListing" l SET "packageId" = "copy"."id" FROM "copy" WHERE l."packageId" = ${id}`,
  );
}
