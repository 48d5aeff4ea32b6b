// Removes a member from an org, or lets a member leave. Admins cannot remove owners; the last owner
// can neither leave nor be removed. The tokens the member made are revoked with them (authenticateToken
// refuses them anyway once their creator is gone; revoking shows it in the token list and audit log).
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Forbidden, NotFound } from '../errors/domain-errors';
import { toRoleName } from './member-role';
import { assertAnotherOwnerRemains, authorizeOrgManager } from './org-manager';

export async function removeMember(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  userId: string,
): Promise<void> {
  const leaving = actor.kind === 'user' && actor.userId === userId;
  // Leaving needs only membership; removing someone else needs admin rights.
  const { org, isOwner } = leaving
    ? { org: await authorizeOrg(ctx, actor, orgSlug, 'read'), isOwner: true }
    : await authorizeOrgManager(ctx, actor, orgSlug);
  await ctx.db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: org.id, userId } },
      include: { user: { select: { email: true } } },
    });
    if (!member) throw new NotFound('member');
    if (member.role === 'OWNER' && !isOwner) {
      throw new Forbidden('Only an owner can remove an owner.', 'owner_required');
    }
    await assertAnotherOwnerRemains(tx, org.id, member.role);
    await tx.membership.delete({ where: { id: member.id } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: leaving ? 'member.leave' : 'member.remove',
      target: `member ${member.user.email}`,
      targetId: userId,
      details: { role: toRoleName(member.role) },
    });
    const tokens = await tx.apiToken.findMany({
      where: { orgId: org.id, createdById: userId, revokedAt: null },
    });
    await tx.apiToken.updateMany({
      where: { id: { in: tokens.map((t) => t.id) } },
      data: { revokedAt: new Date() },
    });
    for (const token of tokens) {
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'token.revoke',
        target: `token ${token.name}`,
        targetId: token.id,
        details: { reason: 'creator_left_org', creator: member.user.email },
      });
    }
  });
}
