// Revokes a pending invitation; its link stops working at once.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Forbidden, NotFound } from '../errors/domain-errors';
import { authorizeOrgManager } from '../member/org-manager';

export async function revokeInvitation(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  invitationId: string,
): Promise<void> {
  const { org, isOwner } = await authorizeOrgManager(ctx, actor, orgSlug);
  await ctx.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findFirst({ where: { id: invitationId, orgId: org.id } });
    if (!invitation) throw new NotFound('invitation');
    if (invitation.role === 'OWNER' && !isOwner) {
      throw new Forbidden('Only an owner can revoke an owner invitation.', 'owner_required');
    }
    if (invitation.revokedAt || invitation.acceptedAt) return;
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'invitation.revoke',
      target: `invitation ${invitation.email ?? 'by link'}`,
      targetId: invitation.id,
    });
  });
}
