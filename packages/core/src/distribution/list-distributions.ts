// Lists a repository's distributions with their life-cycle settings and live package counts.
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type DistributionView, toDistributionView } from './distribution-view';

export async function listDistributions(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<DistributionView[]> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const rows = await ctx.db.distribution.findMany({
    where: { repositoryId: repository.id },
    orderBy: [{ name: 'asc' }, { format: 'asc' }],
  });
  const counts = await countLivePackages(
    ctx,
    rows.map((d) => d.id),
  );
  return rows.map((d) => toDistributionView(d, counts.get(d.id) ?? 0));
}

/** Packages in (or about to enter) the indexes, per distribution. */
export async function countLivePackages(ctx: CoreContext, distributionIds: string[]) {
  const grouped = await ctx.db.package.groupBy({
    by: ['distributionId'],
    where: { distributionId: { in: distributionIds }, status: { in: ['PROCESSING', 'PUBLISHED'] } },
    _count: { _all: true },
  });
  return new Map(grouped.map((g) => [g.distributionId, g._count._all]));
}
