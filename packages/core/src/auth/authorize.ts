// Tenant isolation and permissions in one place: every core service resolves its org and repository
// through these functions. Another org's resources answer NotFound, never Forbidden (no existence leak).
import type { Org, Repository, Role } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { Forbidden, NotFound, Unauthorized } from '../errors/domain-errors';
import type { Actor, Scope } from './actor';

export type Need = 'read' | 'write' | 'admin';

const ROLE_ALLOWS: Record<Role, Need[]> = {
  OWNER: ['read', 'write', 'admin'],
  ADMIN: ['read', 'write', 'admin'],
  PUBLISHER: ['read', 'write'],
  VIEWER: ['read'],
};

const SCOPE_ALLOWS: Record<Scope, Need[]> = {
  'org:admin': ['read', 'write', 'admin'],
  'repo:write': ['read', 'write'],
  'repo:read': ['read'],
};

/** Scopes from weakest to strongest, and the strongest each role may hold. */
const SCOPE_ORDER: Scope[] = ['repo:read', 'repo:write', 'org:admin'];
const ROLE_MAX_SCOPE: Record<Role, Scope> = {
  OWNER: 'org:admin',
  ADMIN: 'org:admin',
  PUBLISHER: 'repo:write',
  VIEWER: 'repo:read',
};

/**
 * What a token may do now: each scope lowered to what its creator's current role allows (an org:admin
 * token of a member demoted to publisher acts as repo:write), so a token never outranks its creator.
 */
export function scopesWithinRole(scopes: Scope[], role: Role): Scope[] {
  const max = SCOPE_ORDER.indexOf(ROLE_MAX_SCOPE[role]);
  const capped = scopes
    .filter((s) => SCOPE_ORDER.includes(s))
    .map((s) => SCOPE_ORDER[Math.min(SCOPE_ORDER.indexOf(s), max)]!);
  return [...new Set(capped)];
}

function tokenAllows(scopes: Scope[], need: Need): boolean {
  return scopes.some((s) => SCOPE_ALLOWS[s]?.includes(need));
}

/** Resolves an org the actor belongs to; NotFound for unknown orgs and orgs of others. */
export async function authorizeOrg(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  need: Need,
): Promise<Org> {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  const org = await ctx.db.org.findUnique({ where: { slug: orgSlug } });
  if (!org) throw new NotFound('org');
  if (actor.kind === 'system') return org;
  if (actor.kind === 'token') {
    if (actor.orgId !== org.id) throw new NotFound('org');
    // Repo-limited tokens may read the org but never administer it.
    if (need === 'admin' && actor.repositoryIds.length > 0) throw new Forbidden();
    if (!tokenAllows(actor.scopes, need)) throw new Forbidden();
    return org;
  }
  const membership = await ctx.db.membership.findUnique({
    where: { orgId_userId: { orgId: org.id, userId: actor.userId } },
  });
  if (!membership) throw new NotFound('org');
  if (!ROLE_ALLOWS[membership.role].includes(need)) throw new Forbidden();
  return org;
}

/** Resolves a repository within an authorized org; repo-limited tokens see only their repositories. */
export async function authorizeRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  need: Need,
): Promise<{ org: Org; repository: Repository }> {
  // Check the org first without the need, so that a missing repo answers 404 before a scope answers 403.
  const org = await authorizeOrg(ctx, actor, orgSlug, 'read');
  const repository = await ctx.db.repository.findUnique({
    where: { orgId_slug: { orgId: org.id, slug: repoSlug } },
  });
  if (!repository) throw new NotFound('repository');
  if (
    actor.kind === 'token' &&
    actor.repositoryIds.length > 0 &&
    !actor.repositoryIds.includes(repository.id)
  ) {
    throw new NotFound('repository');
  }
  if (need !== 'read') await authorizeOrg(ctx, actor, orgSlug, need);
  return { org, repository };
}

/** Whether the actor may download from a private repository (any read-capable credential of its org). */
export function canReadRepository(actor: Actor, repository: Repository): boolean {
  if (actor.kind !== 'token') return false;
  if (actor.orgId !== repository.orgId) return false;
  if (actor.repositoryIds.length > 0 && !actor.repositoryIds.includes(repository.id)) return false;
  return tokenAllows(actor.scopes, 'read');
}
