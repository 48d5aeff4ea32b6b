// The worker's expiry watch (scheduled, PALLET_KEY_CHECK_INTERVAL): for each key still in use whose expiry
// is 30, 7 or 1 days away (or past), records one `signing_key.expiring` audit event per threshold and
// emits the `key.expiring` webhook event, each exactly once per expiry (expiryWarnedDays remembers the
// smallest threshold announced; extending the key clears it).
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { emitWebhookEvent } from '../webhook/emit-webhook-event';
import { daysUntilExpiry, EXPIRY_WARNING_DAYS, expiryThreshold } from './key-expiry';

export interface ExpiryWarningsResult {
  warned: { fingerprint: string; threshold: number }[];
}

export async function warnExpiringKeys(
  ctx: CoreContext,
  now: Date = new Date(),
): Promise<ExpiryWarningsResult> {
  const horizon = new Date(now.getTime() + Math.max(...EXPIRY_WARNING_DAYS) * 86_400_000);
  const keys = await ctx.db.signingKey.findMany({
    where: { status: { in: ['ACTIVE', 'RETIRING'] }, expiresAt: { not: null, lte: horizon } },
    include: { repository: { include: { org: true } } },
  });
  const warned: ExpiryWarningsResult['warned'] = [];
  for (const key of keys) {
    const threshold = expiryThreshold(key.expiresAt, now);
    if (threshold === null) continue;
    if (key.expiryWarnedDays !== null && key.expiryWarnedDays <= threshold) continue;
    const announced = await ctx.db.$transaction(async (tx) => {
      // Compare-and-set, so two workers never announce the same threshold twice.
      const claimed = await tx.signingKey.updateMany({
        where: { id: key.id, expiryWarnedDays: key.expiryWarnedDays, expiresAt: key.expiresAt },
        data: { expiryWarnedDays: threshold },
      });
      if (claimed.count === 0) return false;
      const payload = {
        org: key.repository.org.slug,
        repository: key.repository.slug,
        fingerprint: key.fingerprint,
        status: key.status.toLowerCase(),
        expiresAt: key.expiresAt?.toISOString() ?? null,
        expiresInDays: daysUntilExpiry(key.expiresAt, now),
        threshold,
        expired: threshold === 0,
      };
      await recordAuditEvent(tx, {
        orgId: key.repository.orgId,
        actor: { kind: 'system' },
        action: threshold === 0 ? 'signing_key.expired' : 'signing_key.expiring',
        target: `key ${key.fingerprint}`,
        targetId: key.id,
        details: payload,
      });
      await emitWebhookEvent(tx, { orgId: key.repository.orgId, event: 'key.expiring', payload });
      return true;
    });
    if (announced) warned.push({ fingerprint: key.fingerprint, threshold });
  }
  if (warned.length) ctx.log.info({ warned }, 'signing key expiry warnings');
  return { warned };
}
