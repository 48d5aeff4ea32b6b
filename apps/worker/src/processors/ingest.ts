// ingest jobs: prepare uploaded packages (sign rpms, render index entries) so a publication follows, then
// scan them. An upload's job takes every package waiting in its distribution (ingestPendingPackages); a
// job for one package (a copy, or one a batch could not prepare) retries that package alone.
import { type CoreContext, ingestPackage, ingestPendingPackages, markIngestFailed } from '@pallet/core';
import { ingestPayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function ingestProcessor(core: CoreContext) {
  return async (job: Job) => {
    const payload = ingestPayload.parse(job.data);
    if ('distributionId' in payload) {
      const { failed } = await ingestPendingPackages(core, payload.distributionId);
      for (const packageId of failed) await core.queues.enqueueIngest({ packageId });
      return;
    }
    const { packageId } = payload;
    try {
      await ingestPackage(core, packageId);
    } catch (err) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      core.log.warn(
        { packageId, attempt: job.attemptsMade + 1, err: (err as Error).message },
        'ingest failed',
      );
      if (last) await markIngestFailed(core, packageId, (err as Error).message);
      throw err;
    }
    // Findings are kept apart from ingestion: a failed scan is retried without preparing the package again.
    await core.queues.enqueueScan({ kind: 'package', packageId });
  };
}
