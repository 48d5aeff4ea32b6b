// ingest jobs: sign/prepare an uploaded package and render its index entry.
import { type CoreContext, ingestPackage, markIngestFailed } from '@pallet/core';
import { ingestPayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function ingestProcessor(core: CoreContext) {
  return async (job: Job) => {
    const { packageId } = ingestPayload.parse(job.data);
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
