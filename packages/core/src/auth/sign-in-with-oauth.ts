// Dashboard sign-in through an OAuth/OIDC provider: finds the user linked to the provider account, or
// creates a user for a new email. An email that already belongs to another account is never linked
// automatically (the provider's email may be unverified); that user signs in with their password.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { Conflict, Unauthorized } from '../errors/domain-errors';
import type { Actor } from './actor';
import type { SignedInUser } from './verify-credentials';

export interface OAuthIdentity {
  provider: string;
  providerAccountId: string;
  email?: string | null;
  name?: string | null;
}

export async function signInWithOAuth(
  ctx: CoreContext,
  identity: OAuthIdentity,
  ip?: string,
): Promise<SignedInUser> {
  const linked = await ctx.db.account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: identity.provider,
        providerAccountId: identity.providerAccountId,
      },
    },
    include: { user: { include: { memberships: { select: { orgId: true } } } } },
  });
  const email = identity.email?.trim().toLowerCase();
  if (!linked && !email) throw new Unauthorized('The provider did not share an email address.', 'no_email');
  return ctx.db.$transaction(async (tx) => {
    let user = linked?.user;
    let created = false;
    if (!user) {
      const taken = await tx.user.findUnique({ where: { email: email! }, select: { id: true } });
      if (taken) throw new Conflict('An account with this email already exists.', 'account_not_linked');
      user = await tx.user.create({
        data: {
          email: email!,
          name: identity.name ?? null,
          accounts: {
            create: { provider: identity.provider, providerAccountId: identity.providerAccountId },
          },
        },
        include: { memberships: { select: { orgId: true } } },
      });
      created = true;
    }
    const actor: Actor = { kind: 'user', userId: user.id, email: user.email, ip };
    const orgIds = user.memberships.length ? user.memberships.map((m) => m.orgId) : [null];
    for (const orgId of orgIds) {
      if (created) {
        await recordAuditEvent(tx, {
          orgId,
          actor,
          action: 'user.signup',
          target: `user ${user.email}`,
          targetId: user.id,
          details: { method: identity.provider },
        });
      }
      await recordAuditEvent(tx, {
        orgId,
        actor,
        action: 'user.signin',
        target: `user ${user.email}`,
        targetId: user.id,
        details: { method: identity.provider },
      });
    }
    return { userId: user.id, email: user.email };
  });
}
