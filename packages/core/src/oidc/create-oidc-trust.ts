// Registers a CI provider whose ID tokens may be exchanged for short-lived tokens of the org. The
// admin who creates it becomes the creator of every token it mints (see exchange-oidc-token.ts).
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest, NotFound } from '../errors/domain-errors';
import { type OidcTrustView, toOidcTrustView } from './oidc-trust-view';

/** CI jobs push and read; administering the org stays with people. */
export const OIDC_SCOPES = ['repo:write', 'repo:read'] as const;

export const createOidcTrustInput = z.object({
  issuer: z.string().trim().min(1).max(500),
  audience: z.string().trim().min(1).max(500),
  subject: z.string().trim().min(1).max(500),
  scopes: z
    .array(z.enum(OIDC_SCOPES, { error: 'An OIDC trust may grant repo:write and repo:read only.' }))
    .min(1),
  repos: z.array(z.string()).optional(),
});

/** The issuer as an `iss` claim must spell it: an https URL without query or fragment. */
export function checkIssuer(ctx: CoreContext, issuer: string): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new InvalidRequest('issuer must be a URL.', 'invalid_issuer');
  }
  const httpAllowed = ctx.config.oidcAllowHttpIssuers && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !httpAllowed)
    throw new InvalidRequest('issuer must be an https URL.', 'invalid_issuer');
  if (url.search || url.hash || url.username || url.password)
    throw new InvalidRequest('issuer must not carry credentials, a query or a fragment.', 'invalid_issuer');
}

export async function createOidcTrust(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<OidcTrustView> {
  const parsed = createOidcTrustInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid OIDC trust.');
  const input = parsed.data;
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  checkIssuer(ctx, input.issuer);
  const creatorId = actingUserId(actor);
  if (!creatorId) throw new InvalidRequest('An OIDC trust needs a person as its creator.');
  const slugs = input.repos ?? [];
  const repos = slugs.length
    ? await ctx.db.repository.findMany({ where: { orgId: org.id, slug: { in: slugs } } })
    : [];
  if (repos.length !== new Set(slugs).size) throw new NotFound('repository');
  const trust = await ctx.db.$transaction(async (tx) => {
    const created = await tx.oidcTrust.create({
      data: {
        orgId: org.id,
        issuer: input.issuer,
        audience: input.audience,
        subject: input.subject,
        scopes: [...new Set(input.scopes)],
        repositoryIds: repos.map((r) => r.id),
        createdById: creatorId,
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'oidc_trust.create',
      target: `oidc trust ${created.issuer} ${created.subject}`,
      targetId: created.id,
      details: {
        issuer: created.issuer,
        audience: created.audience,
        subject: created.subject,
        scopes: created.scopes,
        repositoryIds: created.repositoryIds,
      },
    });
    return created;
  });
  const creator = await ctx.db.user.findUnique({ where: { id: creatorId }, select: { email: true } });
  return toOidcTrustView(trust, {
    repoSlugs: new Map(repos.map((r) => [r.id, r.slug])),
    emails: new Map(creator ? [[creatorId, creator.email]] : []),
  });
}
