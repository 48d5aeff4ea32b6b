// On start-up, re-queues work that a crash or a Redis outage may have dropped.
import { type CoreContext, requestPublication } from '@pallet/core';

export async function requeueUnfinishedWork(core: CoreContext): Promise<void> {
  // One ingestion per distribution takes all of its waiting packages.
  const pending = await core.db.package.groupBy({
    by: ['distributionId'],
    where: { status: { in: ['PROCESSING', 'QUARANTINED'] }, indexEntry: null },
  });
  for (const p of pending) await core.queues.enqueueIngest({ distributionId: p.distributionId });
  const dists = await core.db.distribution.findMany({
    include: { currentPublication: { select: { generation: true } } },
  });
  for (const d of dists) {
    if (d.generation > 0 && (d.currentPublication?.generation ?? -1) < d.generation) {
      await requestPublication(core, d.id, d.generation);
    }
  }
  if (pending.length) core.log.info({ distributions: pending.length }, 're-queued unfinished ingestions');
}
