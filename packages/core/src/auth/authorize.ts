// Tenant isolation and permissions in one place: every core service resolves its org and repository
// through these functions. Another org's resources answer NotFound, never Forbidden (no existence leak).
import { type Org, Prisma, type Repository, type Role, rawSql } from '@pallet/db';
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

interface OrgAccess {
  org: Org;
  /** the user actor's membership role in the org (null for other actors, or no membership) */
  role: Role | null;
}

/** The columns of Org, read under an `org.` prefix beside another table's row (authorize.int.test.ts keeps it whole). */
const ORG_COLUMNS = `o."id" AS "org.id", o."slug" AS "org.slug", o."name" AS "org.name",
  o."createdAt" AS "org.createdAt", o."updatedAt" AS "org.updatedAt"`;
type OrgColumns = {
  'org.id': string;
  'org.slug': string;
  'org.name': string;
  'org.createdAt': Date;
  'org.updatedAt': Date;
};

function orgOf(row: OrgColumns): Org {
  return {
    id: row['org.id'],
    slug: row['org.slug'],
    name: row['org.name'],
    createdAt: row['org.createdAt'],
    updatedAt: row['org.updatedAt'],
  };
}

/** Whether the actor may do `need` in an org it has been found in (NotFound when it is not a member). */
function checkOrgNeed(actor: Actor, { org, role }: OrgAccess, need: Need): void {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  if (actor.kind === 'system') return;
  if (actor.kind === 'token') {
    if (actor.orgId !== org.id) throw new NotFound('org');
    // Repo-limited tokens may read the org but never administer it.
    if (need === 'admin' && actor.repositoryIds.length > 0) throw new Forbidden();
    if (!tokenAllows(actor.scopes, need)) throw new Forbidden();
    return;
  }
  if (!role) throw new NotFound('org');
  if (!ROLE_ALLOWS[role].includes(need)) throw new Forbidden();
}

/** Resolves an org the actor belongs to; NotFound for unknown orgs and orgs of others. */
export async function authorizeOrg(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  need: Need,
): Promise<Org> {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  // The org and the user's membership in one round trip (plain pg, see @pallet/db raw-sql.ts).
  const rows = await rawSql(ctx.db).query<OrgColumns & { role: Role | null }>(
    `SELECT ${ORG_COLUMNS}, m."role"::text AS "role"
    FROM "Org" o
    LEFT JOIN "Membership" m ON m."orgId" = o."id" AND m."userId" = $1
    WHERE o."slug" = $2`,
    [actingUser(actor), orgSlug],
    { prepare: true },
  );
  const row = rows[0];
  if (!row) throw new NotFound('org');
  const access = { org: orgOf(row), role: row.role };
  checkOrgNeed(actor, access, need);
  return access.org;
}

/** Resolves a repository within an authorized org; repo-limited tokens see only their repositories. */
export async function authorizeRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  need: Need,
): Promise<{ org: Org; repository: Repository }> {
  const { org, repository } = await readAuthorizedRepository(ctx, actor, orgSlug, repoSlug, need, false);
  return { org, repository };
}

/**
 * authorizeRepository for an upload: the same checks in the same round trip, which also reads the
 * repository's upload policy (the stored rules, `[]` when it has none) that the upload is checked against.
 */
export async function authorizeRepositoryUpload(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<{ org: Org; repository: Repository; policyRules: unknown }> {
  return readAuthorizedRepository(ctx, actor, orgSlug, repoSlug, 'write', true);
}

export type UploadAuthorization = Awaited<ReturnType<typeof authorizeRepositoryUpload>>;

/** The roles whose members may upload (ROLE_ALLOWS), spelled for SQL. */
const WRITE_ROLES = Prisma.join(
  (Object.keys(ROLE_ALLOWS) as Role[]).filter((role) => ROLE_ALLOWS[role].includes('write')),
);

/**
 * A condition for the statement that records an upload: what authorizeRepositoryUpload found (`found`,
 * for this actor and these slugs) still holds in that statement's snapshot. The same org and repository
 * under these slugs, a user actor still a member whose role allows writing (a token's scopes and its
 * creator's role were settled when it was authenticated, and are not read again here either), and the
 * same upload policy. When it is false the caller authorizes afresh (and answers 404/403 as that does).
 */
export function uploadAuthorizationHoldsSql(
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  found: UploadAuthorization,
): Prisma.Sql {
  const member =
    actor.kind === 'user'
      ? Prisma.sql`JOIN "Membership" m ON m."orgId" = o."id" AND m."userId" = ${actor.userId}
          AND m."role"::text IN (${WRITE_ROLES})`
      : Prisma.empty;
  return Prisma.sql`EXISTS (SELECT 1 FROM "Org" o
      JOIN "Repository" r ON r."orgId" = o."id" AND r."slug" = ${repoSlug}
      ${member}
      LEFT JOIN "RepositoryPolicy" p ON p."repositoryId" = r."id"
      WHERE o."slug" = ${orgSlug} AND o."id" = ${found.org.id} AND r."id" = ${found.repository.id}
        AND COALESCE(p."rules", '[]'::jsonb) = ${JSON.stringify(found.policyRules)}::jsonb)`;
}

async function readAuthorizedRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  need: Need,
  withPolicy: boolean,
): Promise<{ org: Org; repository: Repository; policyRules: unknown }> {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  // The org, the user's membership and the repository in one round trip (an upload makes this check
  // twice: before its body is read and before it is recorded, the second time with the policy). Plain pg.
  const rows = await rawSql(ctx.db).query<
    Repository & OrgColumns & { 'org.role': Role | null; 'policy.rules'?: unknown }
  >(withPolicy ? REPOSITORY_WITH_POLICY_SQL : REPOSITORY_SQL, [actingUser(actor), repoSlug, orgSlug], {
    prepare: true,
  });
  const row = rows[0];
  if (!row) throw new NotFound('org');
  const access = { org: orgOf(row), role: row['org.role'] };
  // Check the org first without the need, so that a missing repo answers 404 before a scope answers 403.
  checkOrgNeed(actor, access, 'read');
  if (row.id === null) throw new NotFound('repository');
  const repository = Object.fromEntries(
    Object.entries(row).filter(([column]) => !column.startsWith('org.') && !column.startsWith('policy.')),
  ) as unknown as Repository;
  if (
    actor.kind === 'token' &&
    actor.repositoryIds.length > 0 &&
    !actor.repositoryIds.includes(repository.id)
  ) {
    throw new NotFound('repository');
  }
  if (need !== 'read') checkOrgNeed(actor, access, need);
  return { org: access.org, repository, policyRules: row['policy.rules'] ?? [] };
}

/** The repository read: $1 acting user (or null), $2 repository slug, $3 org slug. */
const repositorySql = (withPolicy: boolean) => `
    SELECT r.*, ${ORG_COLUMNS}, m."role"::text AS "org.role"${withPolicy ? `, p."rules" AS "policy.rules"` : ''}
    FROM "Org" o
    LEFT JOIN "Membership" m ON m."orgId" = o."id" AND m."userId" = $1
    LEFT JOIN "Repository" r ON r."orgId" = o."id" AND r."slug" = $2
    ${withPolicy ? `LEFT JOIN "RepositoryPolicy" p ON p."repositoryId" = r."id"` : ''}
    WHERE o."slug" = $3`;
const REPOSITORY_SQL = repositorySql(false);
const REPOSITORY_WITH_POLICY_SQL = repositorySql(true);

/** Only a user's own membership counts (a token carries its creator's role in its scopes). */
function actingUser(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

/** Whether the actor may download from a private repository (any read-capable credential of its org). */
export function canReadRepository(actor: Actor, repository: Repository): boolean {
  if (actor.kind !== 'token') return false;
  if (actor.orgId !== repository.orgId) return false;
  if (actor.repositoryIds.length > 0 && !actor.repositoryIds.includes(repository.id)) return false;
  return tokenAllows(actor.scopes, 'read');
}
