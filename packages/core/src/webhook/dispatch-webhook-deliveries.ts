// Moves recorded deliveries (PENDING rows of the outbox) onto the webhook queue. The worker runs this
// when deliveries are committed (start-webhook-dispatcher.ts); FOR UPDATE SKIP LOCKED lets several
// workers share the work without sending twice.
import type { CoreContext } from '../context/core-context';

/** Deliveries claimed a round; a round that claims this many is followed by another. */
export const DISPATCH_BATCH = 200;

export async function dispatchWebhookDeliveries(ctx: CoreContext): Promise<number> {
  const claimed = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET status = 'QUEUED'
     WHERE id IN (SELECT id FROM "WebhookDelivery" WHERE status = 'PENDING'
                   ORDER BY "createdAt" LIMIT ${DISPATCH_BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const { attempts, retryBaseMs } = ctx.config.webhooks;
  for (const [i, row] of claimed.entries()) {
    try {
      await ctx.queues.enqueueWebhookDelivery({ deliveryId: row.id }, { attempts, retryBaseMs });
    } catch (err) {
      // Redis is away: hand the rest back to the next round.
      await ctx.db.webhookDelivery.updateMany({
        where: { id: { in: claimed.slice(i).map((r) => r.id) }, status: 'QUEUED' },
        data: { status: 'PENDING' },
      });
      throw err;
    }
  }
  return claimed.length;
}

/** At worker start: deliveries whose job a Redis loss may have dropped are queued again (same job id). */
export async function requeueWebhookDeliveries(ctx: CoreContext): Promise<number> {
  const open = await ctx.db.webhookDelivery.findMany({
    where: { status: { in: ['QUEUED', 'RETRYING'] } },
    select: { id: true },
    take: 10_000,
  });
  const { attempts, retryBaseMs } = ctx.config.webhooks;
  for (const row of open)
    await ctx.queues.enqueueWebhookDelivery({ deliveryId: row.id }, { attempts, retryBaseMs });
  return open.length;
}
