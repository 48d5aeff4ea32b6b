// Changes a member's role. Only owners grant or take away the owner role, and the last owner stays owner.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Forbidden, InvalidRequest, NotFound } from '../errors/domain-errors';
import type { MemberView } from './list-members';
import { roleNameSchema, toRole, toRoleName } from './member-role';
import { assertAnotherOwnerRemains, authorizeOrgManager } from './org-manager';

const changeRoleInput = z.object({ role: roleNameSchema });

export async function changeMemberRole(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  userId: string,
  raw: unknown,
): Promise<MemberView> {
  const parsed = changeRoleInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest('role must be owner, admin, publisher or viewer.');
  const role = toRole(parsed.data.role);
  const { org, isOwner } = await authorizeOrgManager(ctx, actor, orgSlug);
  return ctx.db.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: org.id, userId } },
      include: { user: { select: { email: true, name: true } } },
    });
    if (!member) throw new NotFound('member');
    if ((member.role === 'OWNER' || role === 'OWNER') && !isOwner) {
      throw new Forbidden('Only an owner can grant or change the owner role.', 'owner_required');
    }
    if (member.role !== role) {
      if (role !== 'OWNER') await assertAnotherOwnerRemains(tx, org.id, member.role);
      await tx.membership.update({ where: { id: member.id }, data: { role } });
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'member.role_change',
        target: `member ${member.user.email}`,
        targetId: userId,
        details: { from: toRoleName(member.role), to: toRoleName(role) },
      });
    }
    return {
      userId,
      email: member.user.email,
      name: member.user.name,
      role: toRoleName(role),
      joinedAt: member.createdAt.toISOString(),
    };
  });
}
