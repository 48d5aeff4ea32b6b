// Sign-up: one transaction creates the user, their org (as owner) and a first org:admin API token.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password';
import type { CoreContext } from '../context/core-context';
import { Conflict, Forbidden, InvalidRequest } from '../errors/domain-errors';
import { consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { rateLimitRules, rateLimitSource } from '../rate-limit/rate-limits';
import { insertToken } from '../token/create-token';
import { slugSchema } from './slug';

export const signUpInput = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(10, 'password must have at least 10 characters').max(256),
  org: slugSchema,
  orgName: z.string().trim().min(1).max(100).optional(),
});

export interface SignUpResult {
  user: { id: string; email: string };
  org: { slug: string; name: string };
  token: string;
}

export async function signUp(ctx: CoreContext, raw: unknown, ip?: string): Promise<SignUpResult> {
  if (ctx.config.signup === 'closed')
    throw new Forbidden('Sign-up is closed on this instance.', 'signup_closed');
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  // Every attempt counts (successful ones too): sign-up is cheap to script and expensive to hash.
  const rules = rateLimitRules(ctx.config);
  await consumeRateLimit(ctx, rules.signUpPerSource, rateLimitSource(ip));
  await consumeRateLimit(ctx, rules.signUpPerEmail, input.email);
  const passwordHash = await hashPassword(input.password);
  const [emailTaken, orgTaken] = await Promise.all([
    ctx.db.user.findUnique({ where: { email: input.email }, select: { id: true } }),
    ctx.db.org.findUnique({ where: { slug: input.org }, select: { id: true } }),
  ]);
  if (emailTaken) throw new Conflict('An account with this email already exists.', 'email_taken');
  if (orgTaken) throw new Conflict('This org name is taken.', 'org_taken');
  try {
    return await ctx.db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, passwordHash } });
      const org = await tx.org.create({ data: { slug: input.org, name: input.orgName ?? input.org } });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: 'OWNER' } });
      const actor: Actor = { kind: 'user', userId: user.id, email: user.email, ip };
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'user.signup',
        target: `user ${user.email}`,
        targetId: user.id,
      });
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'org.create',
        target: `org ${org.slug}`,
        targetId: org.id,
      });
      const { secret } = await insertToken(tx, org.id, actor, {
        name: 'sign-up token',
        scopes: ['org:admin'],
        repositoryIds: [],
      });
      return {
        user: { id: user.id, email: user.email },
        org: { slug: org.slug, name: org.name },
        token: secret,
      };
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new Conflict('Email or org already taken.', 'taken');
    throw err;
  }
}
