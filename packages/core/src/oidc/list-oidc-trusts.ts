// Lists an org's OIDC trusts (admins only), newest first.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { type OidcTrustView, toOidcTrustView } from './oidc-trust-view';

async function lookupsFor(ctx: CoreContext, orgId: string, creatorIds: string[]) {
  const [repos, users] = await Promise.all([
    ctx.db.repository.findMany({ where: { orgId }, select: { id: true, slug: true } }),
    ctx.db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }),
  ]);
  return {
    repoSlugs: new Map(repos.map((r) => [r.id, r.slug])),
    emails: new Map(users.map((u) => [u.id, u.email])),
  };
}

export async function listOidcTrusts(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<OidcTrustView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const trusts = await ctx.db.oidcTrust.findMany({
    where: { orgId: org.id },
    orderBy: { createdAt: 'desc' },
  });
  const lookups = await lookupsFor(ctx, org.id, [...new Set(trusts.map((t) => t.createdById))]);
  return trusts.map((t) => toOidcTrustView(t, lookups));
}

export async function getOidcTrust(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  id: string,
): Promise<OidcTrustView> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const trust = await ctx.db.oidcTrust.findFirst({ where: { id, orgId: org.id } });
  if (!trust) throw new NotFound('OIDC trust');
  return toOidcTrustView(trust, await lookupsFor(ctx, org.id, [trust.createdById]));
}
