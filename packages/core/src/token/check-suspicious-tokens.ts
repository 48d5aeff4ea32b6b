// Flags a token that behaves like a leaked one: in the last window (an hour) it was used from many more
// client addresses, or for many more requests, than in any hour of its own recent history. The rule and
// its thresholds are in docs/access-monitoring.md (PALLET_ACCESS_ALERT_*). A flagged token gets
// suspiciousAt/suspiciousReason, an audit event and a `token.suspicious` webhook, at most once per
// cooldown; it keeps working until someone revokes it (one click in the dashboard).
import type { Prisma } from '@pallet/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { emitWebhookEvent } from '../webhook/emit-webhook-event';

interface Usage {
  tokenId: string;
  ips: bigint;
  reqs: bigint;
  maxIps: bigint;
  maxReqs: bigint;
}

export interface SuspicionRule {
  windowMinutes: number;
  historyDays: number;
  minAddresses: number;
  addressFactor: number;
  minRequests: number;
  requestFactor: number;
  cooldownHours: number;
}

/** Why a token's last window looks leaked, or null. Pure: the numbers in, a sentence out. */
export function judgeTokenUsage(
  u: { addresses: number; requests: number; maxAddresses: number; maxRequests: number },
  rule: SuspicionRule,
): string | null {
  if (u.addresses >= rule.minAddresses && u.addresses > rule.addressFactor * Math.max(1, u.maxAddresses))
    return `used from ${u.addresses} addresses in ${rule.windowMinutes} min (at most ${u.maxAddresses} per hour over the previous ${rule.historyDays} days)`;
  if (u.requests >= rule.minRequests && u.requests > rule.requestFactor * Math.max(1, u.maxRequests))
    return `${u.requests} requests in ${rule.windowMinutes} min (at most ${u.maxRequests} per hour over the previous ${rule.historyDays} days)`;
  return null;
}

export async function checkSuspiciousTokens(ctx: CoreContext, tokenIds: string[]): Promise<string[]> {
  if (tokenIds.length === 0) return [];
  const rule = ctx.config.access;
  const now = Date.now();
  const windowStart = new Date(now - rule.windowMinutes * 60_000);
  const historyStart = new Date(windowStart.getTime() - rule.historyDays * 86_400_000);
  const usage = await ctx.db.$queryRaw<Usage[]>`
    WITH recent AS (
      SELECT "tokenId", count(DISTINCT ip) AS ips, sum(requests) AS reqs FROM "TokenAccess"
       WHERE "tokenId" = ANY(${tokenIds}::text[]) AND minute >= ${windowStart}
       GROUP BY "tokenId"),
    hourly AS (
      SELECT "tokenId", count(DISTINCT ip) AS ips, sum(requests) AS reqs FROM "TokenAccess"
       WHERE "tokenId" = ANY(${tokenIds}::text[]) AND minute >= ${historyStart} AND minute < ${windowStart}
       GROUP BY "tokenId", date_trunc('hour', minute))
    SELECT r."tokenId", r.ips, r.reqs,
           coalesce((SELECT max(h.ips) FROM hourly h WHERE h."tokenId" = r."tokenId"), 0) AS "maxIps",
           coalesce((SELECT max(h.reqs) FROM hourly h WHERE h."tokenId" = r."tokenId"), 0)::bigint AS "maxReqs"
      FROM recent r`;
  const flagged: string[] = [];
  for (const u of usage) {
    const numbers = {
      addresses: Number(u.ips),
      requests: Number(u.reqs),
      maxAddresses: Number(u.maxIps),
      maxRequests: Number(u.maxReqs),
    };
    const reason = judgeTokenUsage(numbers, rule);
    if (reason && (await flagToken(ctx, u.tokenId, reason, numbers))) flagged.push(u.tokenId);
  }
  return flagged;
}

async function flagToken(
  ctx: CoreContext,
  tokenId: string,
  reason: string,
  numbers: Prisma.InputJsonObject,
): Promise<boolean> {
  const cooldownStart = new Date(Date.now() - ctx.config.access.cooldownHours * 3_600_000);
  return ctx.db.$transaction(async (tx) => {
    // The conditional update makes one process (of several web servers) raise the alert.
    const { count } = await tx.apiToken.updateMany({
      where: {
        id: tokenId,
        revokedAt: null,
        OR: [{ suspiciousAt: null }, { suspiciousAt: { lt: cooldownStart } }],
      },
      data: { suspiciousAt: new Date(), suspiciousReason: reason },
    });
    if (count === 0) return false;
    const token = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    await recordAuditEvent(tx, {
      orgId: token.orgId,
      actor: { kind: 'system' },
      action: 'token.suspicious',
      target: `token ${token.name}`,
      targetId: token.id,
      details: { reason, ...numbers },
    });
    await emitWebhookEvent(tx, {
      orgId: token.orgId,
      event: 'token.suspicious',
      payload: {
        token: { id: token.id, name: token.name, prefix: token.displayPrefix },
        reason,
        ...numbers,
        windowMinutes: ctx.config.access.windowMinutes,
      },
    });
    ctx.log.warn({ tokenId, reason }, 'token looks leaked');
    return true;
  });
}
