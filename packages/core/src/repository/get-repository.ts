// Reads one repository.
import { loadRepositoryFindings, summarizeFindings } from '../advisory/list-vulnerabilities';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type RepositoryView, toRepositoryView } from './repository-view';

export async function getRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<RepositoryView> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const [packageCount, distributions, findings] = await Promise.all([
    ctx.db.package.count({ where: { repositoryId: repository.id } }),
    ctx.db.distribution.findMany({ where: { repositoryId: repository.id }, select: { name: true } }),
    loadRepositoryFindings(ctx, repository.id),
  ]);
  return toRepositoryView(repository, {
    packageCount,
    distributions: distributions.map((d) => d.name).sort(),
    vulnerabilities: summarizeFindings(findings),
  });
}
