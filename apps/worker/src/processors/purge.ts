// purge jobs: tell the CDN which canonical paths a publication switch changed.
import { type CoreContext, purgePublication } from '@pallet/core';
import { purgePayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function purgeProcessor(core: CoreContext) {
  return async (job: Job) => {
    const { publicationId } = purgePayload.parse(job.data);
    return purgePublication(core, publicationId);
  };
}
