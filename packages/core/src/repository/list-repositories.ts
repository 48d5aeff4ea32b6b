// Lists the repositories an actor can see in an org, with package counts, stored size and last publication.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type RepositoryView, toRepositoryView } from './repository-view';

export async function listRepositories(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<RepositoryView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'read');
  const limited = actor.kind === 'token' && actor.repositoryIds.length > 0 ? actor.repositoryIds : null;
  const repos = await ctx.db.repository.findMany({
    where: { orgId: org.id, ...(limited ? { id: { in: limited } } : {}) },
    orderBy: { slug: 'asc' },
    include: {
      _count: { select: { packages: true } },
      distributions: { select: { name: true, currentPublication: { select: { publishedAt: true } } } },
    },
  });
  const ids = repos.map((r) => r.id);
  const sizes = ids.length
    ? await ctx.db.$queryRaw<{ repositoryId: string; size: bigint }[]>`
        SELECT p."repositoryId", COALESCE(SUM(b.size), 0)::bigint AS size
        FROM "Package" p JOIN "Blob" b ON b.id = p."blobId"
        WHERE p."repositoryId" = ANY(${ids}) GROUP BY p."repositoryId"`
    : [];
  const sizeOf = new Map(sizes.map((s) => [s.repositoryId, Number(s.size)]));
  return repos.map((r) => {
    const published = r.distributions
      .map((d) => d.currentPublication?.publishedAt)
      .filter((d): d is Date => !!d)
      .sort((a, b) => b.getTime() - a.getTime());
    return toRepositoryView(r, {
      packageCount: r._count.packages,
      totalSize: sizeOf.get(r.id) ?? 0,
      lastPublishedAt: published[0]?.toISOString() ?? null,
      distributions: r.distributions.map((d) => d.name).sort(),
    });
  });
}
