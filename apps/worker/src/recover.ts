// On start-up, re-queues work that a crash or a Redis outage may have dropped.
import { type CoreContext, requestPublication } from '@pallet/core';

export async function requeueUnfinishedWork(core: CoreContext): Promise<void> {
  const pending = await core.db.package.findMany({
    where: { status: { in: ['PROCESSING', 'QUARANTINED'] }, indexEntry: null },
    select: { id: true },
    take: 10_000,
  });
  for (const p of pending) await core.queues.enqueueIngest({ packageId: p.id });
  const dists = await core.db.distribution.findMany({
    include: { currentPublication: { select: { generation: true } } },
  });
  for (const d of dists) {
    if (d.generation > 0 && (d.currentPublication?.generation ?? -1) < d.generation) {
      await requestPublication(core, d.id, d.generation);
    }
  }
  if (pending.length) core.log.info({ count: pending.length }, 're-queued unfinished ingestions');
}
