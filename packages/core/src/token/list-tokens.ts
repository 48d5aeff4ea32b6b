// Lists an org's API tokens without their secrets, each with its creator and what it may do now.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { loadTokenCreators, type TokenView, toTokenView } from './token-view';

export async function listTokens(ctx: CoreContext, actor: Actor, orgSlug: string): Promise<TokenView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const [tokens, repos] = await Promise.all([
    ctx.db.apiToken.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'desc' } }),
    ctx.db.repository.findMany({ where: { orgId: org.id }, select: { id: true, slug: true } }),
  ]);
  const lookups = {
    repoSlugs: new Map(repos.map((r) => [r.id, r.slug])),
    creators: await loadTokenCreators(ctx, org.id, tokens),
  };
  return tokens.map((t) => toTokenView(t, lookups));
}
