// Applies a distribution's retention policy inside the publication's transaction: the versions the
// policy drops leave the indexes of the publication being built (status REMOVED; files still served for
// the retention period), audited as one event.
import type { Distribution, Tx } from '@pallet/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import { removePackages } from '../package/remove-packages';
import { planRetention, type RetentionRule } from './plan-retention';

/** The rows a publication would list now: published, or ingested and waiting for it. */
export const LIVE_INDEXED = {
  OR: [{ status: 'PUBLISHED' as const }, { status: 'PROCESSING' as const, indexEntry: { not: null } }],
};

export function retentionRule(d: Pick<Distribution, 'retentionKeepVersions' | 'retentionMaxAgeDays'>) {
  return d.retentionKeepVersions
    ? ({ keepVersions: d.retentionKeepVersions, maxAgeDays: d.retentionMaxAgeDays } satisfies RetentionRule)
    : null;
}

export async function planDistributionRetention(
  tx: Pick<Tx, 'package'>,
  dist: Pick<Distribution, 'id' | 'format'>,
  rule: RetentionRule,
  now: Date,
) {
  const rows = await tx.package.findMany({
    where: { distributionId: dist.id, ...LIVE_INDEXED },
    select: { id: true, name: true, architecture: true, version: true, createdAt: true },
  });
  return planRetention(dist.format, rows, rule, now);
}

export async function applyRetention(
  tx: Tx,
  dist: Distribution & { repository: { orgId: string; slug: string } },
  now: Date,
): Promise<number> {
  const rule = retentionRule(dist);
  if (!rule || dist.frozen) return 0;
  const drop = await planDistributionRetention(tx, dist, rule, now);
  if (drop.length === 0) return 0;
  const count = await removePackages(
    tx,
    drop.map((r) => r.id),
  );
  await recordAuditEvent(tx, {
    orgId: dist.repository.orgId,
    actor: { kind: 'system' },
    action: 'package.retention_remove',
    target: `distribution ${dist.repository.slug} ${dist.name}`,
    targetId: dist.id,
    details: {
      retention: rule,
      removed: drop.slice(0, 200).map((r) => `${r.name} ${r.version} ${r.architecture}`),
      count,
    },
  });
  return count;
}
