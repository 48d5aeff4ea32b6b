// How a token is shown (API list, dashboard): never its secret; who made it, and what it may do now.
import type { ApiToken, Role } from '@pallet/db';
import type { Scope } from '../auth/actor';
import { scopesWithinRole } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** what the token may do now: its scopes within its creator's current role; empty once they left */
  effectiveScopes: string[];
  repos: string[];
  customer: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** when the token behaved like a leaked one (docs/access-monitoring.md), and why */
  suspiciousAt: string | null;
  suspiciousReason: string | null;
  createdAt: string;
  /** the member whose rights bound the token; null once that user no longer exists */
  createdBy: { id: string; email: string } | null;
}

export interface TokenCreator {
  email: string;
  /** the creator's role in the token's org now; null when they are no longer a member */
  role: Role | null;
}

export interface TokenViewLookups {
  repoSlugs: Map<string, string>;
  creators: Map<string, TokenCreator>;
}

/** The creators of these tokens with their current role in the org, by user id. */
export async function loadTokenCreators(
  ctx: CoreContext,
  orgId: string,
  tokens: Pick<ApiToken, 'createdById'>[],
): Promise<Map<string, TokenCreator>> {
  const ids = [...new Set(tokens.flatMap((t) => (t.createdById ? [t.createdById] : [])))];
  if (!ids.length) return new Map();
  const [users, memberships] = await Promise.all([
    ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }),
    ctx.db.membership.findMany({
      where: { orgId, userId: { in: ids } },
      select: { userId: true, role: true },
    }),
  ]);
  const roles = new Map(memberships.map((m) => [m.userId, m.role]));
  return new Map(users.map((u) => [u.id, { email: u.email, role: roles.get(u.id) ?? null }]));
}

export function toTokenView(t: ApiToken, { repoSlugs, creators }: TokenViewLookups): TokenView {
  const creator = t.createdById ? creators.get(t.createdById) : undefined;
  return {
    id: t.id,
    name: t.name,
    prefix: t.displayPrefix,
    scopes: t.scopes,
    effectiveScopes: creator?.role ? scopesWithinRole(t.scopes as Scope[], creator.role) : [],
    repos: t.repositoryIds.map((id) => repoSlugs.get(id) ?? id),
    customer: t.customer,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    suspiciousAt: t.suspiciousAt?.toISOString() ?? null,
    suspiciousReason: t.suspiciousReason ?? null,
    createdAt: t.createdAt.toISOString(),
    createdBy: creator ? { id: t.createdById!, email: creator.email } : null,
  };
}
