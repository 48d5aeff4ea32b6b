// Publishes a distribution from outside the worker (tests, maintenance scripts): where the worker's
// job would go back to the delayed set, this waits until the time publishDistribution names.
import type { CoreContext } from '../context/core-context';
import { type PublishResult, publishDistribution } from './publish-distribution';

export async function publishDistributionNow(
  ctx: CoreContext,
  distributionId: string,
): Promise<PublishResult> {
  for (;;) {
    const result = await publishDistribution(ctx, distributionId);
    if (!result.notBefore) return result;
    await new Promise((resolve) => setTimeout(resolve, result.notBefore!.getTime() - Date.now()));
  }
}
