// After a publication switch, tells the CDN in front which canonical paths changed: a generic webhook
// (POST JSON, HMAC-SHA256 signed) and/or a CloudFront invalidation, as configured. Runs as its own
// worker job off the publish transaction, so a slow or failing CDN API never delays a publication; a
// failure throws and the job is retried (the invalidation's CallerReference makes a retry idempotent).
import { createHmac } from 'node:crypto';
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  type CreateInvalidationCommandInput,
} from '@aws-sdk/client-cloudfront';
import type { Config } from '@pallet/config';
import type { CoreContext } from '../context/core-context';
import { type ChangedPaths, listChangedPaths } from './list-changed-paths';

/** CloudFront accepts at most 3,000 paths in progress per distribution; beyond that, invalidate more broadly. */
const CLOUDFRONT_MAX_PATHS = 3000;
export const PURGE_SIGNATURE_HEADER = 'x-pallet-signature';

export function isPurgeConfigured(config: Config): boolean {
  return Boolean(config.purge.webhookUrl || config.purge.cloudfrontDistributionId);
}

/** `sha256=<hex>` over the exact body bytes, as GitHub and Stripe-style receivers check it. */
export function signPurgeBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function buildInvalidation(
  distributionId: string,
  changes: ChangedPaths,
): CreateInvalidationCommandInput {
  const items =
    changes.paths.length <= CLOUDFRONT_MAX_PATHS
      ? changes.paths
      : [
          `${changes.paths[0]!.slice(0, changes.paths[0]!.lastIndexOf(`/${changes.format}/`))}/${changes.format}/*`,
        ];
  return {
    DistributionId: distributionId,
    InvalidationBatch: {
      CallerReference: `pallet-${changes.publicationId}`,
      Paths: { Quantity: items.length, Items: items },
    },
  };
}

export interface PurgeDeps {
  cloudfront?: () => CloudFrontClient;
}

export async function purgePublication(
  ctx: CoreContext,
  publicationId: string,
  deps: PurgeDeps = {},
): Promise<{ paths: number }> {
  const { webhookUrl, webhookSecret, cloudfrontDistributionId, timeoutMs } = ctx.config.purge;
  if (!webhookUrl && !cloudfrontDistributionId) return { paths: 0 };
  const changes = await listChangedPaths(ctx, publicationId);
  if (!changes || changes.paths.length === 0) return { paths: 0 };

  if (webhookUrl && webhookSecret) {
    const body = JSON.stringify({
      event: 'publication.switched',
      sentAt: new Date().toISOString(),
      ...changes,
    });
    let res: Response;
    try {
      res = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Pallet purge hook',
          [PURGE_SIGNATURE_HEADER]: signPurgeBody(body, webhookSecret),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // The URL may carry a credential in its query: name only its origin.
      throw new Error(`purge webhook ${new URL(webhookUrl).origin} failed: ${(err as Error).message}`);
    }
    await res.body?.cancel();
    if (!res.ok) throw new Error(`purge webhook ${new URL(webhookUrl).origin} answered ${res.status}`);
  }

  if (cloudfrontDistributionId) {
    const client = deps.cloudfront?.() ?? new CloudFrontClient({ region: 'us-east-1' });
    try {
      await client.send(new CreateInvalidationCommand(buildInvalidation(cloudfrontDistributionId, changes)), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    } finally {
      client.destroy();
    }
  }
  ctx.log.info({ publicationId, paths: changes.paths.length }, 'CDN purge sent');
  return { paths: changes.paths.length };
}
