// Who is managing an org's members: an owner, an admin (everything but touching owners) or an org:admin
// token (treated as an admin). Anyone else gets Forbidden from authorizeOrg.
import type { Org, Role, Tx } from '@pallet/db';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict } from '../errors/domain-errors';

export interface OrgManager {
  org: Org;
  /** owners may grant, change and remove the owner role; admins may not */
  isOwner: boolean;
}

export async function authorizeOrgManager(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<OrgManager> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  if (actor.kind === 'system') return { org, isOwner: true };
  if (actor.kind !== 'user') return { org, isOwner: false };
  const me = await ctx.db.membership.findUnique({
    where: { orgId_userId: { orgId: org.id, userId: actor.userId } },
  });
  return { org, isOwner: me?.role === 'OWNER' };
}

/** Refuses a change that would leave the org without an owner (rows are locked against a race). */
export async function assertAnotherOwnerRemains(tx: Tx, orgId: string, leavingRole: Role): Promise<void> {
  if (leavingRole !== 'OWNER') return;
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Membership" WHERE "orgId" = ${orgId} AND "role" = 'OWNER' FOR UPDATE`;
  if (owners.length <= 1) {
    throw new Conflict('An org needs at least one owner; make someone else owner first.', 'last_owner');
  }
}
