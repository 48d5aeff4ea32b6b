// Reads one package of a repository.
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { type PackageView, toPackageView } from './package-view';

export async function getPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
): Promise<PackageView> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const pkg = await ctx.db.package.findFirst({
    where: { id, repositoryId: repository.id },
    include: { blob: true, distribution: true },
  });
  if (!pkg) throw new NotFound('package');
  return toPackageView(pkg);
}
