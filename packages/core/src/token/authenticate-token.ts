// Turns a presented API token into an Actor. Every request reads the token row and its creator's
// membership (nothing is cached), so revocation, expiry, and the creator's demotion or removal take
// effect on the next request: a token never does more than its creator may do now, and a token whose
// creator left the org is dead. Failed checks are counted per source; over the limit, failing answers
// turn into 429 while valid tokens from the same source keep working.

import { type Role, rawSql } from '@pallet/db';
import type { Actor, Scope } from '../auth/actor';
import { scopesWithinRole } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Unauthorized } from '../errors/domain-errors';
import { consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { rateLimitRules, rateLimitSource } from '../rate-limit/rate-limits';
import { hashTokenSecret, looksLikeToken } from './token-secret';

const LAST_USED_RESOLUTION_MS = 60_000;

interface TokenRow {
  id: string;
  orgId: string;
  name: string;
  displayPrefix: string;
  scopes: string[];
  repositoryIds: string[];
  createdById: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** the creator's current role in the token's org (null: the creator left it) */
  creatorRole: Role | null;
}

/** The token and its creator's membership in one round trip (every API request pays it; plain pg). */
async function findLiveToken(ctx: CoreContext, secret: string) {
  if (!looksLikeToken(secret)) return null;
  const rows = await rawSql(ctx.db).query<TokenRow>(
    `SELECT t."id", t."orgId", t."name", t."displayPrefix", t."scopes", t."repositoryIds", t."createdById",
           t."expiresAt", t."lastUsedAt", t."revokedAt", m."role"::text AS "creatorRole"
    FROM "ApiToken" t
    LEFT JOIN "Membership" m ON m."orgId" = t."orgId" AND m."userId" = t."createdById"
    WHERE t."tokenHash" = $1`,
    [hashTokenSecret(secret)],
    { prepare: true },
  );
  const token = rows[0];
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= new Date())) return null;
  return token.creatorRole ? { token, creatorRole: token.creatorRole } : null;
}

export async function authenticateToken(ctx: CoreContext, secret: string, ip?: string): Promise<Actor> {
  const live = await findLiveToken(ctx, secret);
  if (!live) {
    await consumeRateLimit(ctx, rateLimitRules(ctx.config).tokenFailuresPerSource, rateLimitSource(ip));
    throw new Unauthorized();
  }
  const { token, creatorRole } = live;
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ctx.db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: 'token',
    tokenId: token.id,
    orgId: token.orgId,
    name: token.name,
    displayPrefix: token.displayPrefix,
    scopes: scopesWithinRole(token.scopes as Scope[], creatorRole),
    repositoryIds: token.repositoryIds,
    creatorUserId: token.createdById!,
    ip,
  };
}
