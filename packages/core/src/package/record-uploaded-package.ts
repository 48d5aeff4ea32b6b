// The statements that write an upload's Package row and its audit events. The common case (a new package,
// or the same bytes again) is one statement that stands alone, lock and blob included (recordFirstUpload);
// everything else runs in a transaction under the identity's lock (upload-package.ts).
import { randomUUID } from 'node:crypto';
import { type Blob, type Distribution, type Package, Prisma, queryRows, type RawSql } from '@pallet/db';
import { AUDIT_EVENT_COLUMNS, type AuditInput, auditEventValues } from '../audit/record-audit-event';
import { claimFileNameSql } from './claim-file-name';
import type { PackageSummary } from './package-view';
import { type BlobColumns, blobOf, recordBlobSql, type StoredBytes } from './store-blob';

/** What an upload sets on its Package row, whether the row is new or takes other content. */
export interface UploadedContent {
  format: 'DEB' | 'RPM';
  component: string | null;
  status: 'PROCESSING' | 'QUARANTINED';
  quarantineReason: string | null;
  sourceName: string | null;
  sourceVersion: string | null;
  metadata: object;
  licenses: string[];
  uploadedBy: string | null;
}

export interface PackageKey {
  repositoryId: string;
  distributionId: string;
  name: string;
  version: string;
  architecture: string;
}

/** An audit event of the package being written (its targetId is the package's id). */
export type PackageAuditEvent = Omit<AuditInput, 'targetId'>;

const NOW = Prisma.sql`statement_timestamp() AT TIME ZONE 'UTC'`;

/** The columns an upload sets, with their values; `blobId` and `filename` are SQL (a CTE's column or a value). */
function contentColumns(
  c: UploadedContent,
  blobId: Prisma.Sql,
  filename: Prisma.Sql,
): [string, Prisma.Sql][] {
  return [
    ['format', Prisma.sql`${c.format}::"PackageFormat"`],
    ['component', Prisma.sql`${c.component}::text`],
    ['status', Prisma.sql`${c.status}::"PackageStatus"`],
    ['quarantineReason', Prisma.sql`${c.quarantineReason}::text`],
    ['error', Prisma.sql`NULL`],
    ['blobId', blobId],
    ['servedBlobId', Prisma.sql`NULL`],
    ['filename', filename],
    ['sourceName', Prisma.sql`${c.sourceName}::text`],
    ['sourceVersion', Prisma.sql`${c.sourceVersion}::text`],
    ['metadata', Prisma.sql`${JSON.stringify(c.metadata)}::jsonb`],
    ['licenses', Prisma.sql`${c.licenses}::text[]`],
    ['indexEntry', Prisma.sql`NULL`],
    ['uploadedBy', Prisma.sql`${c.uploadedBy}::text`],
    ['publishedAt', Prisma.sql`NULL`],
    ['updatedAt', NOW],
  ];
}

/**
 * `INSERT INTO "Package" (…) SELECT …` of a new row (`from` names the CTEs its values read; the
 * distribution's id is SQL, a value or a CTE's column).
 */
function insertPackageSql(
  id: string,
  key: Omit<PackageKey, 'distributionId'>,
  distributionId: Prisma.Sql,
  content: [string, Prisma.Sql][],
  from: Prisma.Sql = Prisma.empty,
  onConflict: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  const columns: [string, Prisma.Sql][] = [
    ['id', Prisma.sql`${id}::text`],
    ['repositoryId', Prisma.sql`${key.repositoryId}::text`],
    ['distributionId', distributionId],
    ['name', Prisma.sql`${key.name}::text`],
    ['version', Prisma.sql`${key.version}::text`],
    ['architecture', Prisma.sql`${key.architecture}::text`],
    ['createdAt', NOW],
    ...content,
  ];
  return Prisma.sql`INSERT INTO "Package" (${Prisma.raw(columns.map(([c]) => `"${c}"`).join(', '))})
    SELECT ${Prisma.join(columns.map(([, v]) => v))} ${from} ${onConflict} RETURNING *`;
}

/** The audit events, inserted only when the statement's `pkg` CTE wrote a row. */
function auditAfterSql(packageId: string, events: PackageAuditEvent[]): Prisma.Sql {
  const rows = events.map((e) => auditEventValues({ ...e, targetId: packageId }));
  return Prisma.sql`INSERT INTO "AuditEvent" ${AUDIT_EVENT_COLUMNS}
    SELECT * FROM (VALUES ${Prisma.join(rows)}) AS e WHERE EXISTS (SELECT 1 FROM "pkg")`;
}

/** The distribution an upload goes to, as recordFirstUpload finds it. */
export interface DistributionKey {
  repositoryId: string;
  format: 'DEB' | 'RPM';
  name: string;
  /** the .deb component, which the distribution must list already */
  component: string | null;
}

const DISTRIBUTION_COLUMNS = [
  'id',
  'repositoryId',
  'format',
  'name',
  'distro',
  'release',
  'components',
  'architectures',
  'currentPublicationId',
  'generation',
  'createdAt',
  'frozen',
  'frozenAt',
  'retentionKeepVersions',
  'retentionMaxAgeDays',
  'validDays',
] as const;

function distributionOf(row: Record<string, unknown>): Distribution {
  return Object.fromEntries(
    DISTRIBUTION_COLUMNS.map((c) => [c, row[`dist.${c}`]]),
  ) as unknown as Distribution;
}

/** recordFirstUpload's answer when its `holds` condition was false: it wrote nothing. */
export const AUTHORIZATION_CHANGED = 'authorization-changed';

/**
 * The Package columns recordFirstUpload answers with (PackageSummary): not the metadata it has just
 * written from the parsed package, which would only travel back and be parsed again.
 */
const SUMMARY_COLUMNS = [
  'id',
  'repositoryId',
  'distributionId',
  'format',
  'component',
  'name',
  'version',
  'architecture',
  'status',
  'error',
  'blobId',
  'servedBlobId',
  'filename',
  'licenses',
  'uploadedBy',
  'sourceName',
  'sourceVersion',
  'quarantineReason',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'removedAt',
  'yankedAt',
  'copiedFromId',
] as const satisfies readonly (keyof PackageSummary)[];

// A column added to Package must be listed above too (or left out of PackageSummary): until it is, this
// does not compile.
export const UNLISTED_SUMMARY_COLUMNS: Record<
  Exclude<keyof PackageSummary, (typeof SUMMARY_COLUMNS)[number]>,
  never
> = {};

export interface FirstUpload {
  distribution: Distribution;
  /** null when the live row has other bytes and `onlyNewOrSameBytes` left the blob alone */
  blob: Blob | null;
  /** whether this statement created the blob row (pointing at these staged bytes) */
  blobCreated: boolean;
  /** the package row this statement inserted */
  created: PackageSummary | null;
  /** the identity's live row, as of the statement's snapshot */
  live: PackageSummary | null;
}

/**
 * The common upload in one statement: takes the identity's lock (lock-package-identity.ts), finds the
 * distribution (ready: not frozen, listing the component), records the blob (recordBlobSql), reads the
 * identity's live row, and when there is none claims the canonical file name and, if the name is these
 * bytes', inserts the package and its audit events. Returns null when the distribution is not ready
 * (nothing written), else the blob and either the new row (`created`), the live row (`live`), or neither
 * (the name is held by other bytes, or a live row committed after the statement's snapshot).
 *
 * Standing alone (autocommit, no BEGIN/COMMIT) it is safe: the insert does nothing on a live row the
 * snapshot missed (ON CONFLICT on Package_live_identity_key), and with `onlyNewOrSameBytes` it writes no
 * blob next to a live row of other bytes (that upload may end in 409 and keep nothing). Whatever it did
 * not finish, the caller's transaction does (upload-package.ts).
 *
 * `holds` (authorize.ts uploadAuthorizationHoldsSql) is checked in the same snapshot before anything is
 * written: when it is false the statement writes nothing and answers AUTHORIZATION_CHANGED.
 */
export async function recordFirstUpload(
  sql: RawSql,
  input: {
    stored: StoredBytes;
    distribution: DistributionKey;
    lock: Prisma.Sql;
    identity: { name: string; version: string; architecture: string };
    names: { repositoryId: string; scope: string };
    canonicalFilename: string;
    content: UploadedContent;
    events: PackageAuditEvent[];
    onlyNewOrSameBytes: boolean;
    holds?: Prisma.Sql;
  },
): Promise<FirstUpload | typeof AUTHORIZATION_CHANGED | null> {
  const { stored, distribution: d, identity } = input;
  const id = randomUUID();
  const component =
    d.component === null ? Prisma.sql`TRUE` : Prisma.sql`${d.component} = ANY(d."components")`;
  const blobWhen = input.onlyNewOrSameBytes
    ? Prisma.sql`EXISTS (SELECT 1 FROM "dist") AND NOT EXISTS (SELECT 1 FROM "live" l JOIN "Blob" b ON b."id" = l."blobId" WHERE b."sha256" <> ${stored.sha256})`
    : Prisma.sql`EXISTS (SELECT 1 FROM "dist")`;
  const key = { repositoryId: d.repositoryId, ...identity };
  const rows = await queryRows<Record<string, unknown>>(
    sql,
    Prisma.sql`WITH "authorized" AS (SELECT ${input.holds ?? Prisma.sql`TRUE`} AS "holds"),
      "dist" AS (
        SELECT d.* FROM "authorized", (SELECT ${input.lock}) AS "lock", "Distribution" d
        WHERE "authorized"."holds" AND d."repositoryId" = ${d.repositoryId} AND d."format" = ${d.format}::"PackageFormat"
          AND d."name" = ${d.name} AND NOT d."frozen" AND ${component}),
      "live" AS (
        SELECT p.* FROM "Package" p JOIN "dist" ON p."distributionId" = "dist"."id"
        WHERE p."name" = ${identity.name} AND p."version" = ${identity.version}
          AND p."architecture" = ${identity.architecture} AND p."status" <> 'REMOVED'),
      "blob" AS (${recordBlobSql(stored, blobWhen)}),
      "claim" AS (${claimFileNameSql(
        input.names,
        input.canonicalFilename,
        stored.sha256,
        Prisma.sql`EXISTS (SELECT 1 FROM "dist") AND NOT EXISTS (SELECT 1 FROM "live")`,
      )}),
      "pkg" AS (${insertPackageSql(
        id,
        key,
        Prisma.sql`"dist"."id"`,
        contentColumns(input.content, Prisma.sql`"blob"."blob.id"`, Prisma.sql`"claim"."filename"`),
        Prisma.sql`FROM "dist", "blob", "claim" WHERE "claim"."uploadSha256" = ${stored.sha256}`,
        Prisma.sql`ON CONFLICT ("distributionId", "name", "version", "architecture") WHERE "status" <> 'REMOVED' DO NOTHING`,
      )}),
      "audit" AS (${auditAfterSql(id, input.events)})
    SELECT "authorized"."holds" AS "authorized.holds",
      ${Prisma.raw(DISTRIBUTION_COLUMNS.map((c) => `"dist"."${c}" AS "dist.${c}"`).join(', '))}, "blob".*,
      ${Prisma.raw(SUMMARY_COLUMNS.map((c) => `p."${c}"`).join(', '))}
    FROM "authorized" LEFT JOIN "dist" ON TRUE LEFT JOIN "blob" ON TRUE
      LEFT JOIN (SELECT * FROM "pkg" UNION ALL SELECT * FROM "live") AS p ON TRUE`,
    // A few texts (with or without a component, one or two audit events), run by every upload.
    { prepare: true },
  );
  const row = rows[0];
  if (!row?.['authorized.holds']) return AUTHORIZATION_CHANGED;
  if (row['dist.id'] === null) return null;
  const blob = row['blob.id'] === null ? null : blobOf(row as unknown as BlobColumns);
  const pkg = row.id === null ? null : packageOf(row);
  return {
    distribution: distributionOf(row),
    blob,
    blobCreated: blob !== null && blob.storageKey === stored.storageKey,
    created: pkg && pkg.id === id ? pkg : null,
    live: pkg && pkg.id !== id ? pkg : null,
  };
}

/** The Package columns of a row that also carries the blob's and the distribution's. */
function packageOf(row: Record<string, unknown>): PackageSummary {
  return Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, row[c]])) as unknown as PackageSummary;
}

/**
 * The general write, with its audit events in the same statement: a new row (`existingId` null) or the
 * identity's live row taking this content (an overwrite; its id, createdAt and indexExtra stay).
 */
export async function writeUploadedPackage(
  sql: RawSql,
  input: {
    key: PackageKey;
    existingId: string | null;
    blobId: string;
    filename: string;
    content: UploadedContent;
    events: PackageAuditEvent[];
  },
): Promise<Package> {
  const id = input.existingId ?? randomUUID();
  const columns = contentColumns(
    input.content,
    Prisma.sql`${input.blobId}::text`,
    Prisma.sql`${input.filename}::text`,
  );
  const write = input.existingId
    ? Prisma.sql`UPDATE "Package" SET ${Prisma.join(columns.map(([c, v]) => Prisma.sql`${Prisma.raw(`"${c}"`)} = ${v}`))}
        WHERE "id" = ${id} RETURNING *`
    : insertPackageSql(id, input.key, Prisma.sql`${input.key.distributionId}::text`, columns);
  const rows = await queryRows<Package>(
    sql,
    Prisma.sql`WITH "pkg" AS (${write}), "audit" AS (${auditAfterSql(id, input.events)}) SELECT * FROM "pkg"`,
  );
  const row = rows[0];
  if (!row) throw new Error(`writing package ${id} returned no row`);
  return row;
}
