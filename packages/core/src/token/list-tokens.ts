// Lists an org's API tokens without their secrets.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type TokenView, toTokenView } from './create-token';

export async function listTokens(ctx: CoreContext, actor: Actor, orgSlug: string): Promise<TokenView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const [tokens, repos] = await Promise.all([
    ctx.db.apiToken.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'desc' } }),
    ctx.db.repository.findMany({ where: { orgId: org.id }, select: { id: true, slug: true } }),
  ]);
  const creatorIds = [...new Set(tokens.flatMap((t) => (t.createdById ? [t.createdById] : [])))];
  const creators = await ctx.db.user.findMany({
    where: { id: { in: creatorIds } },
    select: { id: true, email: true },
  });
  const slugs = new Map(repos.map((r) => [r.id, r.slug]));
  const emails = new Map(creators.map((u) => [u.id, u.email]));
  return tokens.map((t) => toTokenView(t, slugs, emails));
}
