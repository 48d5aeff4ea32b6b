// Lists the repositories an actor can see in an org, with package counts.
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
    include: { _count: { select: { packages: true } }, distributions: { select: { name: true } } },
  });
  return repos.map((r) =>
    toRepositoryView(r, {
      packageCount: r._count.packages,
      distributions: r.distributions.map((d) => d.name).sort(),
    }),
  );
}
