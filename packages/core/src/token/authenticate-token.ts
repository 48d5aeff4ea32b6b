// Turns a presented API token into an Actor; revoked or expired tokens stop working on the next request
// (every request reads the token row; nothing is cached). Failed checks are rate limited per IP.
import type { Actor, Scope } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Unauthorized } from '../errors/domain-errors';
import { assertWithinRateLimit, consumeRateLimit } from '../rate-limit/consume-rate-limit';
import { RATE_LIMITS } from '../rate-limit/rate-limits';
import { hashTokenSecret, looksLikeToken } from './token-secret';

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateToken(ctx: CoreContext, secret: string, ip?: string): Promise<Actor> {
  await assertWithinRateLimit(ctx, RATE_LIMITS.tokenFailuresPerIp, ip);
  const token = looksLikeToken(secret)
    ? await ctx.db.apiToken.findUnique({ where: { tokenHash: hashTokenSecret(secret) } })
    : null;
  const now = new Date();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
    await consumeRateLimit(ctx, RATE_LIMITS.tokenFailuresPerIp, ip);
    throw new Unauthorized();
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ctx.db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: 'token',
    tokenId: token.id,
    orgId: token.orgId,
    name: token.name,
    displayPrefix: token.displayPrefix,
    scopes: token.scopes as Scope[],
    repositoryIds: token.repositoryIds,
    ip,
  };
}
