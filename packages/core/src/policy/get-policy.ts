// Reads a repository's upload policy (members who may read the repository may read its policy).
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type PolicyView, storedRules } from './policy-rules';

export async function getPolicy(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<PolicyView> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const row = await ctx.db.repositoryPolicy.findUnique({ where: { repositoryId: repository.id } });
  return { rules: storedRules(row?.rules), updatedAt: row?.updatedAt.toISOString() ?? null };
}
