// Distributions are created on first upload, the way hosted repositories do it. Concurrent first
// uploads must not collide: creation is an insert-or-nothing, and a new component is appended atomically.
import { randomUUID } from 'node:crypto';
import { asRawSql, type Distribution, Prisma, queryRows, type RawSql, type Tx } from '@pallet/db';
import { type PackageIdentity, packageIdentityLock } from '../package/lock-package-identity';
import type { DistributionName, Format } from './distribution-name';

export const DEFAULT_DEB_ARCHITECTURES = ['amd64', 'arm64'];

/**
 * Returns the distribution, created if need be. Writers of a package pass its identity: the identity's
 * lock (lock-package-identity.ts) is taken by the same statement as the first read. Takes a Prisma
 * transaction or a plain one (rawTransaction); one statement when the distribution and component exist.
 */
export async function ensureDistribution(
  db: Tx | RawSql,
  repositoryId: string,
  format: Format,
  dist: DistributionName,
  component: string | null,
  lockIdentity?: PackageIdentity,
): Promise<Distribution> {
  const sql = asRawSql(db);
  const dbFormat = format === 'deb' ? 'DEB' : 'RPM';
  const key = Prisma.sql`"repositoryId" = ${repositoryId} AND "format" = ${dbFormat}::"PackageFormat" AND "name" = ${dist.name}`;
  // The lock's one-row subquery is the outer side of the join: it is evaluated whether or not the
  // distribution exists yet (the read's snapshot predates the lock, which only the distribution row
  // sees; the package rows are read by later statements).
  const lock = lockIdentity ? packageIdentityLock(repositoryId, dist.name, lockIdentity) : Prisma.sql`1`;
  const rows = await queryRows<Distribution | { id: null }>(
    sql,
    Prisma.sql`SELECT d.* FROM (SELECT ${lock}) AS "lock" LEFT JOIN "Distribution" d ON ${key}`,
  );
  let existing = rows[0]?.id ? (rows[0] as Distribution) : null;
  if (!existing) {
    // ON CONFLICT DO NOTHING: a unique violation would abort the surrounding transaction. A concurrent
    // first upload that won is read back (READ COMMITTED: the next statement sees its commit).
    const architectures = format === 'deb' ? DEFAULT_DEB_ARCHITECTURES : [];
    const created = await queryRows<Distribution>(
      sql,
      Prisma.sql`INSERT INTO "Distribution"
        ("id", "repositoryId", "format", "name", "distro", "release", "components", "architectures", "createdAt")
        VALUES (${randomUUID()}, ${repositoryId}, ${dbFormat}::"PackageFormat", ${dist.name}, ${dist.distro},
                ${dist.release}, ${component ? [component] : []}::text[], ${architectures}::text[],
                clock_timestamp() AT TIME ZONE 'UTC')
        ON CONFLICT ("repositoryId", "format", "name") DO NOTHING
        RETURNING *`,
    );
    existing =
      created[0] ??
      (await queryRows<Distribution>(sql, Prisma.sql`SELECT * FROM "Distribution" WHERE ${key}`))[0] ??
      null;
    if (!existing) throw new Error(`distribution ${dist.name} was neither created nor found`);
  }
  if (component && !existing.components.includes(component)) {
    const updated = await queryRows<Distribution>(
      sql,
      Prisma.sql`UPDATE "Distribution" SET "components" = array_append("components", ${component})
        WHERE "id" = ${existing.id} AND NOT (${component} = ANY("components")) RETURNING *`,
    );
    existing =
      updated[0] ??
      (
        await queryRows<Distribution>(
          sql,
          Prisma.sql`SELECT * FROM "Distribution" WHERE "id" = ${existing.id}`,
        )
      )[0] ??
      existing;
  }
  return existing;
}
