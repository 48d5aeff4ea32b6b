// POST /oidc/token: a CI job's ID token in, a short-lived API token of the org out. The token is minted
// in the name of the matching trust's creator — every Pallet token has a human creator whose current
// role bounds it (authenticate-token.ts) — so a trust whose creator left the org mints nothing, and a
// minted token loses what its creator loses. Every refusal is the same 401 (the reason only in the
// log) and counts against the source's failed-credential limit, like a wrong API token.
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor, Scope } from '../auth/actor';
import { scopesWithinRole } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest, Unauthorized } from '../errors/domain-errors';
import { consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { rateLimitRules, rateLimitSource } from '../rate-limit/rate-limits';
import { displayPrefixOf, generateTokenSecret, hashTokenSecret } from '../token/token-secret';
import { IdTokenRejected, verifyIdToken } from './issuer-keys';
import { subjectMatches } from './subject-pattern';

/** Lifetime of a minted token: long enough for a slow publication, short enough not to need revoking. */
export const OIDC_TOKEN_TTL_MS = 60 * 60_000;

const input = z.object({
  org: z.string().trim().min(1).max(63),
  token: z.string().min(1).max(16_384),
});

async function refuse(ctx: CoreContext, ip: string | undefined, reason: string): Promise<never> {
  ctx.log.info({ reason }, 'OIDC token exchange refused');
  await consumeRateLimit(ctx, rateLimitRules(ctx.config).tokenFailuresPerSource, rateLimitSource(ip));
  throw new Unauthorized('The ID token is not accepted by an OIDC trust of this org.', 'oidc_token_rejected');
}

export async function exchangeOidcToken(
  ctx: CoreContext,
  raw: unknown,
  ip?: string,
): Promise<{ token: string; expiresAt: string }> {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Expected {org, token}.');
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(parsed.data.token).iss;
  } catch {
    return refuse(ctx, ip, 'not a JWT');
  }
  const org = await ctx.db.org.findUnique({ where: { slug: parsed.data.org } });
  const trusts =
    org && issuer
      ? await ctx.db.oidcTrust.findMany({ where: { orgId: org.id, issuer }, orderBy: { createdAt: 'asc' } })
      : [];
  if (!org || !issuer || trusts.length === 0) return refuse(ctx, ip, 'no trust for this org and issuer');
  let claims: Awaited<ReturnType<typeof verifyIdToken>>;
  try {
    claims = await verifyIdToken(ctx, issuer, parsed.data.token);
  } catch (err) {
    if (err instanceof IdTokenRejected) return refuse(ctx, ip, err.message);
    throw err;
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const subject = claims.sub!;
  const candidates = trusts.filter(
    (t) => audiences.includes(t.audience) && subjectMatches(t.subject, subject),
  );
  if (candidates.length === 0) return refuse(ctx, ip, 'audience or subject matches no trust');
  // The oldest matching trust whose creator is still a member decides.
  const memberships = await ctx.db.membership.findMany({
    where: { orgId: org.id, userId: { in: candidates.map((t) => t.createdById) } },
  });
  const roles = new Map(memberships.map((m) => [m.userId, m.role]));
  const trust = candidates.find((t) => roles.has(t.createdById));
  if (!trust) return refuse(ctx, ip, 'the creator of every matching trust left the org');

  const secret = generateTokenSecret();
  const expiresAt = new Date(Date.now() + OIDC_TOKEN_TTL_MS);
  await ctx.db.$transaction(async (tx) => {
    const token = await tx.apiToken.create({
      data: {
        orgId: org.id,
        name: `oidc ${subject}`.slice(0, 100),
        displayPrefix: displayPrefixOf(secret),
        tokenHash: hashTokenSecret(secret),
        scopes: trust.scopes,
        repositoryIds: trust.repositoryIds,
        createdById: trust.createdById,
        oidcTrustId: trust.id,
        expiresAt,
      },
    });
    // The CI job acts through the token it just received; the audit names it and its identity.
    const actor: Actor = {
      kind: 'token',
      tokenId: token.id,
      orgId: org.id,
      name: token.name,
      displayPrefix: token.displayPrefix,
      scopes: scopesWithinRole(trust.scopes as Scope[], roles.get(trust.createdById)!),
      repositoryIds: token.repositoryIds,
      creatorUserId: trust.createdById,
      ip,
    };
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'oidc.token_exchange',
      target: `oidc trust ${trust.issuer} ${trust.subject}`,
      targetId: trust.id,
      details: {
        issuer,
        subject,
        audience: trust.audience,
        jti: typeof claims.jti === 'string' ? claims.jti : null,
        tokenId: token.id,
        scopes: trust.scopes,
        repositoryIds: trust.repositoryIds,
        expiresAt: expiresAt.toISOString(),
      },
    });
  });
  return { token: secret, expiresAt: expiresAt.toISOString() };
}
