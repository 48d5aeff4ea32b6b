// A signed-in user accepts an invitation link: the email must match when the invitation names one.
// Unknown, used, revoked, expired and other people's invitations all answer the same NotFound.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Conflict, Forbidden, NotFound } from '../errors/domain-errors';
import { type RoleName, toRoleName } from '../member/member-role';
import { hashTokenSecret } from '../token/token-secret';
import { looksLikeInvitation } from './invitation-view';

export interface InvitationPreview {
  org: { slug: string; name: string };
  role: RoleName;
  email: string | null;
  expiresAt: string;
}

async function findUsableInvitation(ctx: CoreContext, secret: string) {
  if (!looksLikeInvitation(secret)) throw new NotFound('invitation');
  const invitation = await ctx.db.invitation.findUnique({
    where: { tokenHash: hashTokenSecret(secret) },
    include: { org: true },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
    throw new NotFound('invitation');
  }
  return invitation;
}

/** What an invitation link offers, for the page that asks the user to accept it. */
export async function describeInvitation(ctx: CoreContext, secret: string): Promise<InvitationPreview> {
  const i = await findUsableInvitation(ctx, secret);
  return {
    org: { slug: i.org.slug, name: i.org.name },
    role: toRoleName(i.role),
    email: i.email,
    expiresAt: i.expiresAt.toISOString(),
  };
}

export async function acceptInvitation(
  ctx: CoreContext,
  actor: Actor,
  secret: string,
): Promise<{ org: { slug: string; name: string }; role: RoleName }> {
  if (actor.kind !== 'user') {
    throw new Forbidden('Invitations are accepted by a signed-in user, not a token.', 'user_required');
  }
  const invitation = await findUsableInvitation(ctx, secret);
  if (invitation.email && invitation.email !== actor.email.toLowerCase()) throw new NotFound('invitation');
  return ctx.db.$transaction(async (tx) => {
    // Claim the invitation first: of two concurrent accepts only one updates the row.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new NotFound('invitation');
    const existing = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: invitation.orgId, userId: actor.userId } },
    });
    if (existing) throw new Conflict('You are already a member of this org.', 'already_member');
    await tx.membership.create({
      data: { orgId: invitation.orgId, userId: actor.userId, role: invitation.role },
    });
    await recordAuditEvent(tx, {
      orgId: invitation.orgId,
      actor,
      action: 'member.join',
      target: `member ${actor.email}`,
      targetId: actor.userId,
      details: { role: toRoleName(invitation.role), invitationId: invitation.id },
    });
    return {
      org: { slug: invitation.org.slug, name: invitation.org.name },
      role: toRoleName(invitation.role),
    };
  });
}
