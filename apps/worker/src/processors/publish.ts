// publish jobs: build and switch one distribution's signed indexes (coalesced per distribution). A job
// that comes too early (one publication per distribution per second, the adaptive debounce) goes back
// to the delayed set until its time, so the uploads arriving meanwhile join the same publication.
import { type CoreContext, isPurgeConfigured, palletMetrics, publishDistribution } from '@pallet/core';
import { publishPayload } from '@pallet/jobs';
import { DelayedError, type Job } from 'bullmq';

export function publishProcessor(core: CoreContext) {
  return async (job: Job, token?: string) => {
    // The payload's generation is not passed on: requests are deduplicated into this job (enqueuePublish),
    // so it publishes what the distribution holds now, however old the request it was made for.
    const { distributionId } = publishPayload.parse(job.data);
    const started = performance.now();
    const result = await publishDistribution(core, distributionId, {
      timing: { quietMs: core.config.publishDebounceMs, maxDelayMs: core.config.publishMaxDelayMs },
    });
    if (result.notBefore) {
      await job.moveToDelayed(result.notBefore.getTime(), token);
      throw new DelayedError();
    }
    if (!result.skipped) {
      const seconds = (performance.now() - started) / 1000;
      const dist = await core.db.distribution.findUnique({
        where: { id: distributionId },
        select: { format: true },
      });
      palletMetrics().publicationSeconds.observe(
        { format: dist?.format.toLowerCase() ?? 'unknown' },
        seconds,
      );
      core.log.info(
        {
          distributionId,
          publicationId: result.publicationId,
          packages: result.packageCount,
          ms: Math.round(performance.now() - started),
        },
        'published',
      );
      // The CDN purge is its own job: retried on its own, never holding up the next publication.
      if (result.publicationId && isPurgeConfigured(core.config)) {
        await core.queues.enqueuePurge({ publicationId: result.publicationId });
      }
    }
    return result;
  };
}
