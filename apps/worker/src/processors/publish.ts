// publish jobs: build and switch one distribution's signed indexes (coalesced per generation).
import { type CoreContext, publishDistribution } from '@pallet/core';
import { publishPayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function publishProcessor(core: CoreContext) {
  return async (job: Job) => {
    const { distributionId } = publishPayload.parse(job.data);
    const started = performance.now();
    const result = await publishDistribution(core, distributionId);
    if (!result.skipped) {
      core.log.info(
        {
          distributionId,
          publicationId: result.publicationId,
          packages: result.packageCount,
          ms: Math.round(performance.now() - started),
        },
        'published',
      );
    }
    return result;
  };
}
