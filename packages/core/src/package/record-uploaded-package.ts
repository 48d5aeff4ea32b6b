// The statements that write an upload's Package row and its audit events (upload-package.ts decides which
// one runs, in the upload's transaction). The common case — no live row for the identity — is one
// statement with the blob; an overwrite or a name held by other bytes takes the general one.
import { randomUUID } from 'node:crypto';
import { type Blob, type Package, Prisma, queryRows, type RawSql } from '@pallet/db';
import { AUDIT_EVENT_COLUMNS, type AuditInput, auditEventValues } from '../audit/record-audit-event';
import { claimFileNameSql } from './claim-file-name';
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

/** `INSERT INTO "Package" (…) SELECT …` of a new row (`from` names the CTEs its values read). */
function insertPackageSql(
  id: string,
  key: PackageKey,
  content: [string, Prisma.Sql][],
  from: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  const columns: [string, Prisma.Sql][] = [
    ['id', Prisma.sql`${id}::text`],
    ['repositoryId', Prisma.sql`${key.repositoryId}::text`],
    ['distributionId', Prisma.sql`${key.distributionId}::text`],
    ['name', Prisma.sql`${key.name}::text`],
    ['version', Prisma.sql`${key.version}::text`],
    ['architecture', Prisma.sql`${key.architecture}::text`],
    ['createdAt', NOW],
    ...content,
  ];
  return Prisma.sql`INSERT INTO "Package" (${Prisma.raw(columns.map(([c]) => `"${c}"`).join(', '))})
    SELECT ${Prisma.join(columns.map(([, v]) => v))} ${from} RETURNING *`;
}

/** The audit events, inserted only when the statement's `pkg` CTE wrote a row. */
function auditAfterSql(packageId: string, events: PackageAuditEvent[]): Prisma.Sql {
  const rows = events.map((e) => auditEventValues({ ...e, targetId: packageId }));
  return Prisma.sql`INSERT INTO "AuditEvent" ${AUDIT_EVENT_COLUMNS}
    SELECT * FROM (VALUES ${Prisma.join(rows)}) AS e WHERE EXISTS (SELECT 1 FROM "pkg")`;
}

/**
 * The common upload in one statement: records the blob (recordBlobSql), reads the identity's live row,
 * and when there is none claims the canonical file name and, if the name is these bytes', inserts the
 * package and its audit events. Returns the blob and either the new row (`created`), the live row
 * (`live`), or neither (the name is held by other bytes: the caller claims another with the general path).
 * Run it under the identity's lock (ensureDistribution), so the live row it reads cannot change.
 */
export async function recordFirstUpload(
  sql: RawSql,
  input: {
    stored: StoredBytes;
    key: PackageKey;
    names: { repositoryId: string; scope: string };
    canonicalFilename: string;
    content: UploadedContent;
    events: PackageAuditEvent[];
  },
): Promise<{ blob: Blob; blobCreated: boolean; created: Package | null; live: Package | null }> {
  const { stored, key } = input;
  const id = randomUUID();
  const rows = await queryRows<BlobColumns & (Package | { [K in keyof Package]: null })>(
    sql,
    Prisma.sql`WITH "blob" AS (${recordBlobSql(stored)}),
      "live" AS (
        SELECT * FROM "Package" WHERE "distributionId" = ${key.distributionId} AND "name" = ${key.name}
          AND "version" = ${key.version} AND "architecture" = ${key.architecture} AND "status" <> 'REMOVED'),
      "claim" AS (${claimFileNameSql(
        input.names,
        input.canonicalFilename,
        stored.sha256,
        Prisma.sql`NOT EXISTS (SELECT 1 FROM "live")`,
      )}),
      "pkg" AS (${insertPackageSql(
        id,
        key,
        contentColumns(input.content, Prisma.sql`"blob"."blob.id"`, Prisma.sql`"claim"."filename"`),
        Prisma.sql`FROM "blob", "claim" WHERE "claim"."uploadSha256" = ${stored.sha256}`,
      )}),
      "audit" AS (${auditAfterSql(id, input.events)})
    SELECT * FROM "blob" LEFT JOIN (SELECT * FROM "pkg" UNION ALL SELECT * FROM "live") AS p ON TRUE`,
  );
  const row = rows[0];
  if (!row) throw new Error(`recording upload ${stored.sha256} returned no row`);
  const blob = blobOf(row);
  const pkg = row.id === null ? null : packageOf(row as Package & BlobColumns);
  return {
    blob,
    blobCreated: blob.storageKey === stored.storageKey,
    created: pkg && pkg.id === id ? pkg : null,
    live: pkg && pkg.id !== id ? pkg : null,
  };
}

/** The Package columns of a row that also carries the blob's `blob.` columns. */
function packageOf(row: Package & BlobColumns): Package {
  return Object.fromEntries(
    Object.entries(row).filter(([column]) => !column.startsWith('blob.')),
  ) as unknown as Package;
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
    : insertPackageSql(id, input.key, columns);
  const rows = await queryRows<Package>(
    sql,
    Prisma.sql`WITH "pkg" AS (${write}), "audit" AS (${auditAfterSql(id, input.events)}) SELECT * FROM "pkg"`,
  );
  const row = rows[0];
  if (!row) throw new Error(`writing package ${id} returned no row`);
  return row;
}
