// Email + password sign-in for the dashboard: argon2id check, guessing throttled per account+source and per
// source (throttle-sign-in.ts), and a `user.signin` audit event in every org of the user. Unknown emails
// cost the same hash work and count against the same limits, so nothing tells whether an account exists.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { Unauthorized } from '../errors/domain-errors';
import type { Actor } from './actor';
import { hashPassword, verifyPassword } from './password';
import { assertSignInAllowed, recordSignInFailure, recordSignInSuccess } from './throttle-sign-in';

const credentialsInput = z.object({
  email: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(256),
});

export interface SignedInUser {
  userId: string;
  email: string;
}

let dummyHash: Promise<string> | undefined;

export async function verifyCredentials(ctx: CoreContext, raw: unknown, ip?: string): Promise<SignedInUser> {
  const parsed = credentialsInput.safeParse(raw);
  if (!parsed.success) throw new Unauthorized('Wrong email or password.', 'invalid_credentials');
  const { email, password } = parsed.data;
  await assertSignInAllowed(ctx, email, ip);
  const user = await ctx.db.user.findUnique({
    where: { email },
    include: { memberships: { select: { orgId: true } } },
  });
  // Without a stored hash, verify against a throwaway one so that timing does not reveal the account.
  dummyHash ??= hashPassword('pallet-timing-equaliser');
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  if (!user?.passwordHash || !ok) {
    await ctx.db.$transaction(async (tx) => {
      for (const orgId of user ? user.memberships.map((m) => m.orgId) : [null]) {
        await recordAuditEvent(tx, {
          orgId,
          actor: { kind: 'anonymous', ip },
          action: 'user.signin_failed',
          target: `user ${email}`,
          targetId: user?.id,
        });
      }
    });
    await recordSignInFailure(ctx, email, ip);
    throw new Unauthorized('Wrong email or password.', 'invalid_credentials');
  }
  await recordSignInSuccess(ctx, email, ip);
  const actor: Actor = { kind: 'user', userId: user.id, email: user.email, ip };
  await ctx.db.$transaction(async (tx) => {
    for (const orgId of user.memberships.length ? user.memberships.map((m) => m.orgId) : [null]) {
      await recordAuditEvent(tx, {
        orgId,
        actor,
        action: 'user.signin',
        target: `user ${user.email}`,
        targetId: user.id,
        details: { method: 'password' },
      });
    }
  });
  return { userId: user.id, email: user.email };
}
