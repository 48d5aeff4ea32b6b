// webhook jobs: one delivery attempt each; a failure is thrown so BullMQ retries with backoff, and a
// refused target (SSRF guard) or the last attempt ends the job without further retries.
import { type CoreContext, deliverWebhook } from '@pallet/core';
import { webhookPayload } from '@pallet/jobs';
import { type Job, UnrecoverableError } from 'bullmq';

export function webhookProcessor(core: CoreContext) {
  return async (job: Job) => {
    const { deliveryId } = webhookPayload.parse(job.data);
    const isLast = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await deliverWebhook(core, deliveryId, { isLast });
    if (result.outcome === 'retry') throw new Error(result.message);
    if (result.outcome === 'failed') throw new UnrecoverableError(result.message);
    return result;
  };
}
