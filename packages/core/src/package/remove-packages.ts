// Takes packages out of the indexes for good (status REMOVED) while keeping their rows: a retained
// publication may still list them (PackageListing), so a restore can bring them back, and /dl keeps
// serving their files for the retention period, as it does a superseded publication's indexes.
import type { Tx } from '@pallet/db';

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

/**
 * Before a package row takes other content (an overwrite, a re-upload while its deletion is pending), its
 * current content is kept as a REMOVED row of its own, and the publications that listed the row now list
 * that copy: a restore brings back the bytes a publication served, while the package keeps its id.
 */
export async function archivePackageContent(tx: Tx, id: string): Promise<void> {
  const {
    id: _id,
    updatedAt: _updatedAt,
    metadata,
    indexExtra,
    ...rest
  } = await tx.package.findUniqueOrThrow({
    where: { id },
  });
  const listed = await tx.packageListing.count({ where: { packageId: id } });
  if (listed === 0) return;
  const copy = await tx.package.create({
    data: {
      ...rest,
      metadata: metadata ?? {},
      ...(indexExtra === null ? {} : { indexExtra }),
      status: 'REMOVED',
      removedAt: new Date(),
    },
  });
  // Its runs move to the copy; an open one closes at the next publication, which lists the new content anew.
  await tx.packageListing.updateMany({ where: { packageId: id }, data: { packageId: copy.id } });
}
