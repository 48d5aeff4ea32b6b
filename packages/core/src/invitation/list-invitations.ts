// Lists an org's invitations (without their secrets), newest first.
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { authorizeOrgManager } from '../member/org-manager';
import { type InvitationView, toInvitationView } from './invitation-view';

export async function listInvitations(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
): Promise<InvitationView[]> {
  const { org } = await authorizeOrgManager(ctx, actor, orgSlug);
  const rows = await ctx.db.invitation.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'desc' } });
  return rows.map(toInvitationView);
}
