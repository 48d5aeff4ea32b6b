// The package sets publications list, kept as runs of generations (PackageListing): a package is
// listed by every publication of its distribution whose generation lies in [fromGeneration,
// untilGeneration). A publication records only its change, so the cost follows the change, not the
// distribution's size; a publication's full set is read back by generation.
import type { Prisma, Tx } from '@pallet/db';

/**
 * Records that the publication of `generation` lists `all` (every package: runs of packages not among
 * them close) or the current set plus `added` (a publication that only appends). Runs already open stay.
 */
export async function recordListings(
  tx: Tx,
  distributionId: string,
  generation: number,
  set: { all: string[] } | { added: string[] },
): Promise<void> {
  if ('all' in set) {
    await tx.$executeRaw`
      UPDATE "PackageListing" SET "untilGeneration" = ${generation}
       WHERE "distributionId" = ${distributionId} AND "untilGeneration" IS NULL
         AND "packageId" NOT IN (SELECT unnest(${set.all}::text[]))`;
  }
  const ids = 'all' in set ? set.all : set.added;
  if (ids.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "PackageListing" ("distributionId", "packageId", "fromGeneration")
    SELECT ${distributionId}, u.id, ${generation} FROM unnest(${ids}::text[]) AS u(id)
     WHERE NOT EXISTS (SELECT 1 FROM "PackageListing" l
                        WHERE l."packageId" = u.id AND l."untilGeneration" IS NULL)`;
}

/** The runs a publication lies in: its package set. */
export function listedBy(pub: {
  distributionId: string;
  generation: number;
}): Prisma.PackageListingWhereInput {
  return {
    distributionId: pub.distributionId,
    fromGeneration: { lte: pub.generation },
    OR: [{ untilGeneration: null }, { untilGeneration: { gt: pub.generation } }],
  };
}
