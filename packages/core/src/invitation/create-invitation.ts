// Invites someone to an org by link, optionally bound to one email address. Admins invite up to admin;
// only owners invite owners.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Forbidden, InvalidRequest } from '../errors/domain-errors';
import { roleNameSchema, toRole } from '../member/member-role';
import { authorizeOrgManager } from '../member/org-manager';
import { generateTokenSecret, hashTokenSecret } from '../token/token-secret';
import { INVITATION_PREFIX, type InvitationView, invitationUrl, toInvitationView } from './invitation-view';

const createInvitationInput = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase())
    .optional(),
  role: roleNameSchema.default('viewer'),
  expiresInDays: z.number().int().min(1).max(30).default(7),
});

export async function createInvitation(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<InvitationView & { url: string; token: string }> {
  const parsed = createInvitationInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  const { org, isOwner } = await authorizeOrgManager(ctx, actor, orgSlug);
  if (input.role === 'owner' && !isOwner) {
    throw new Forbidden('Only an owner can invite an owner.', 'owner_required');
  }
  const secret = generateTokenSecret(INVITATION_PREFIX);
  const invitation = await ctx.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.create({
      data: {
        orgId: org.id,
        email: input.email ?? null,
        role: toRole(input.role),
        tokenHash: hashTokenSecret(secret),
        // The person, also when a token acts for them (as ApiToken.createdById).
        createdById: actingUserId(actor) ?? null,
        expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'invitation.create',
      target: `invitation ${input.email ?? 'by link'}`,
      targetId: invitation.id,
      details: {
        role: input.role,
        email: input.email ?? null,
        expiresAt: invitation.expiresAt.toISOString(),
      },
    });
    return invitation;
  });
  return { ...toInvitationView(invitation), url: invitationUrl(ctx.config.appUrl, secret), token: secret };
}
