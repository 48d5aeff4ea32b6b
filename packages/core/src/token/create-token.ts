// Creates an API token; the secret is returned once and only its hash is stored.
import type { ApiToken, Tx } from '@pallet/db';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId, SCOPES } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest, NotFound } from '../errors/domain-errors';
import { displayPrefixOf, generateTokenSecret, hashTokenSecret } from './token-secret';

export const createTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1),
  repos: z.array(z.string()).optional(),
  expiresAt: z.coerce.date().optional(),
  customer: z.string().trim().min(1).max(200).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  repos: string[];
  customer: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  /** the member whose rights bound the token; null once that user no longer exists */
  createdBy: { id: string; email: string } | null;
}

export function toTokenView(
  t: ApiToken,
  repoSlugs: Map<string, string>,
  creatorEmails: Map<string, string>,
): TokenView {
  const creatorEmail = t.createdById ? creatorEmails.get(t.createdById) : undefined;
  return {
    id: t.id,
    name: t.name,
    prefix: t.displayPrefix,
    scopes: t.scopes,
    repos: t.repositoryIds.map((id) => repoSlugs.get(id) ?? id),
    customer: t.customer,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
    createdBy: creatorEmail ? { id: t.createdById!, email: creatorEmail } : null,
  };
}

/** Inserts a token inside an existing transaction (sign-up uses this for the first org:admin token). */
export async function insertToken(
  tx: Tx,
  orgId: string,
  actor: Actor,
  input: { name: string; scopes: string[]; repositoryIds: string[]; expiresAt?: Date; customer?: string },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = generateTokenSecret();
  const token = await tx.apiToken.create({
    data: {
      orgId,
      name: input.name,
      displayPrefix: displayPrefixOf(secret),
      tokenHash: hashTokenSecret(secret),
      scopes: input.scopes,
      repositoryIds: input.repositoryIds,
      customer: input.customer ?? null,
      expiresAt: input.expiresAt ?? null,
      // The person, not the token, when a token makes a token: their role bounds both.
      createdById: actingUserId(actor) ?? null,
    },
  });
  await recordAuditEvent(tx, {
    orgId,
    actor,
    action: 'token.create',
    target: `token ${token.name}`,
    targetId: token.id,
    details: {
      scopes: input.scopes,
      repositoryIds: input.repositoryIds,
      expiresAt: input.expiresAt?.toISOString() ?? null,
      customer: input.customer ?? null,
    },
  });
  return { token, secret };
}

export async function createToken(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<TokenView & { token: string }> {
  const parsed = createTokenInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid token request.');
  const input = parsed.data;
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  if (input.expiresAt && input.expiresAt <= new Date())
    throw new InvalidRequest('expiresAt must be in the future.');
  // Customer tokens are entitlements (as Cloudsmith calls them): download access for one customer only.
  if (input.customer && (input.scopes.length !== 1 || input.scopes[0] !== 'repo:read'))
    throw new InvalidRequest('A customer token has exactly the repo:read scope.', 'customer_token_scope');
  const slugs = input.repos ?? [];
  const repos = slugs.length
    ? await ctx.db.repository.findMany({ where: { orgId: org.id, slug: { in: slugs } } })
    : [];
  if (repos.length !== new Set(slugs).size) throw new NotFound('repository');
  const { token, secret } = await ctx.db.$transaction((tx) =>
    insertToken(tx, org.id, actor, {
      name: input.name,
      scopes: input.scopes,
      repositoryIds: repos.map((r) => r.id),
      expiresAt: input.expiresAt,
      customer: input.customer,
    }),
  );
  const creator = token.createdById
    ? await ctx.db.user.findUnique({ where: { id: token.createdById }, select: { id: true, email: true } })
    : null;
  const view = toTokenView(
    token,
    new Map(repos.map((r) => [r.id, r.slug])),
    new Map(creator ? [[creator.id, creator.email]] : []),
  );
  return { ...view, token: secret };
}
