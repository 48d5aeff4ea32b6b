// Asks the worker to publish a distribution at (at least) a given generation, after the debounce delay.
import type { CoreContext } from '../context/core-context';

export async function requestPublication(
  ctx: CoreContext,
  distributionId: string,
  generation: number,
): Promise<void> {
  await ctx.queues.enqueuePublish({ distributionId, generation }, ctx.config.publishDebounceMs);
}
