// Moves recorded webhook deliveries onto the queue as soon as they are committed: a trigger on the
// outbox table sends NOTIFY pallet_webhooks (prisma/migrations/…_webhook_delivery_notifications), so an
// idle worker does not poll. A slow round catches what a lost notification connection or a failed round
// (Redis away: the rows were handed back) left behind.
import { listenForNotifications } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { DISPATCH_BATCH, dispatchWebhookDeliveries } from './dispatch-webhook-deliveries';

/** Rounds without a notification: what a dropped connection or a failed round waits for at most. */
const FALLBACK_MS = 30_000;
/** After a failed round (Redis or the database away), the next try. */
const RETRY_MS = 1000;

export function startWebhookDispatcher(ctx: CoreContext): { close(): Promise<void> } {
  let running = false;
  let again = false;
  let retry: NodeJS.Timeout | undefined;
  const dispatch = () => {
    if (running) {
      again = true; // a notification during a round: the rows may have been committed after its claim
      return;
    }
    running = true;
    again = false;
    clearTimeout(retry);
    dispatchWebhookDeliveries(ctx)
      .then((claimed) => {
        if (claimed >= DISPATCH_BATCH) again = true;
      })
      .catch((err) => {
        ctx.log.warn({ err: (err as Error).message }, 'webhook dispatch failed');
        retry = setTimeout(dispatch, RETRY_MS);
        retry.unref();
      })
      .finally(() => {
        running = false;
        if (again) dispatch();
      });
  };
  const listener = listenForNotifications(ctx.config.databaseUrl, 'pallet_webhooks', {
    onMessage: dispatch,
    // Once listening (again), a round for what was committed while nobody listened.
    onState: (live) => {
      if (live) dispatch();
    },
    onError: (err) => ctx.log.warn({ err: err.message }, 'webhook notification connection lost'),
  });
  const fallback = setInterval(dispatch, FALLBACK_MS);
  fallback.unref();
  return {
    async close() {
      clearInterval(fallback);
      clearTimeout(retry);
      await listener.close();
    },
  };
}
