// Distributions are created on first upload, the way hosted repositories do it. Concurrent first
// uploads must not collide: creation is an insert-or-nothing, and a new component is appended atomically.
import { type Distribution, Prisma, type Tx } from '@pallet/db';
import { type PackageIdentity, packageIdentityLock } from '../package/lock-package-identity';
import type { DistributionName, Format } from './distribution-name';

export const DEFAULT_DEB_ARCHITECTURES = ['amd64', 'arm64'];

/**
 * Returns the distribution, created if need be. Writers of a package pass its identity: the identity's
 * lock (lock-package-identity.ts) is taken by the same statement as the first read.
 */
export async function ensureDistribution(
  tx: Tx,
  repositoryId: string,
  format: Format,
  dist: DistributionName,
  component: string | null,
  lockIdentity?: PackageIdentity,
): Promise<Distribution> {
  const dbFormat = format === 'deb' ? 'DEB' : 'RPM';
  const where = { repositoryId_format_name: { repositoryId, format: dbFormat, name: dist.name } } as const;
  // The lock's one-row subquery is the outer side of the join: it is evaluated whether or not the
  // distribution exists yet (the read's snapshot predates the lock, which only the distribution row
  // sees; the package rows are read by later statements).
  const lock = lockIdentity ? packageIdentityLock(repositoryId, dist.name, lockIdentity) : Prisma.sql`1`;
  const rows = await tx.$queryRaw<(Distribution | { id: null })[]>`
    SELECT d.* FROM (SELECT ${lock}) AS "lock"
    LEFT JOIN "Distribution" d
      ON d."repositoryId" = ${repositoryId} AND d."format" = ${dbFormat}::"PackageFormat" AND d."name" = ${dist.name}`;
  let existing = rows[0]?.id ? (rows[0] as Distribution) : null;
  if (!existing) {
    // ON CONFLICT DO NOTHING: a unique violation would abort the surrounding transaction.
    await tx.distribution.createMany({
      data: [
        {
          repositoryId,
          format: dbFormat,
          name: dist.name,
          distro: dist.distro,
          release: dist.release,
          components: component ? [component] : [],
          architectures: format === 'deb' ? DEFAULT_DEB_ARCHITECTURES : [],
        },
      ],
      skipDuplicates: true,
    });
    existing = await tx.distribution.findUniqueOrThrow({ where });
  }
  if (component && !existing.components.includes(component)) {
    await tx.$executeRaw`UPDATE "Distribution" SET "components" = array_append("components", ${component})
      WHERE "id" = ${existing.id} AND NOT (${component} = ANY("components"))`;
    existing = await tx.distribution.findUniqueOrThrow({ where });
  }
  return existing;
}
