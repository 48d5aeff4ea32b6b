// Creates an API token; the secret is returned once and only its hash is stored.
import type { ApiToken, Tx } from '@pallet/db';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId, SCOPES } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest, NotFound } from '../errors/domain-errors';
import { displayPrefixOf, generateTokenSecret, hashTokenSecret } from './token-secret';
import { loadTokenCreators, type TokenView, toTokenView } from './token-view';

export const createTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1),
  repos: z.array(z.string()).optional(),
  expiresAt: z.coerce.date().optional(),
  customer: z.string().trim().min(1).max(200).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

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
  const view = toTokenView(token, {
    repoSlugs: new Map(repos.map((r) => [r.id, r.slug])),
    creators: await loadTokenCreators(ctx, org.id, [token]),
  });
  return { ...view, token: secret };
}
