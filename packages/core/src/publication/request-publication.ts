// Asks the worker to publish a distribution at (at least) a given generation, after the debounce delay.
import type { CoreContext } from '../context/core-context';

/** `changedAt`: when the change was made, if earlier than now; the debounce delay counts from it. */
export async function requestPublication(
  ctx: CoreContext,
  distributionId: string,
  generation: number,
  changedAt?: Date,
): Promise<void> {
  const delayMs = changedAt
    ? Math.max(0, changedAt.getTime() + ctx.config.publishDebounceMs - Date.now())
    : ctx.config.publishDebounceMs;
  await ctx.queues.enqueuePublish({ distributionId, generation }, delayMs);
}
