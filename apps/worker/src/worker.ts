// Starts the BullMQ workers for every queue; returned handle closes them gracefully.
import {
  type CoreContext,
  pruneRateLimitBuckets,
  pruneTokenAccess,
  requeueWebhookDeliveries,
  startWebhookDispatcher,
} from '@pallet/core';
import { QUEUE, redisConnection } from '@pallet/jobs';
import { Worker } from 'bullmq';
import { gcProcessor } from './processors/gc';
import { ingestProcessor } from './processors/ingest';
import { keyExpiryProcessor } from './processors/key-expiry';
import { publishProcessor } from './processors/publish';
import { purgeProcessor } from './processors/purge';
import { rekeyProcessor } from './processors/rekey';
import { scanProcessor } from './processors/scan';
import { validUntilProcessor } from './processors/valid-until';
import { webhookProcessor } from './processors/webhook';
import { requeueUnfinishedWork } from './recover';

export interface RunningWorker {
  close(): Promise<void>;
}

export async function startWorker(core: CoreContext): Promise<RunningWorker> {
  const connection = redisConnection(core.config.redisUrl);
  const prefix = core.config.redisPrefix;
  const workers = [
    new Worker(QUEUE.ingest, ingestProcessor(core), { connection, prefix, concurrency: 4 }),
    // Different distributions publish in parallel; the same one is serialized by a database lock.
    new Worker(QUEUE.publish, publishProcessor(core), { connection, prefix, concurrency: 2 }),
    new Worker(QUEUE.purge, purgeProcessor(core), { connection, prefix, concurrency: 2 }),
    // One re-signing run at a time per worker process; a run re-signs only what is not yet signed by
    // the active key, so overlapping runs (several workers) waste work but never conflict.
    new Worker(QUEUE.rekey, rekeyProcessor(core), { connection, prefix, concurrency: 1 }),
    new Worker(QUEUE.scan, scanProcessor(core), { connection, prefix, concurrency: 2 }),
    // One collection at a time per worker; runs are idempotent, so two workers overlapping is harmless.
    new Worker(QUEUE.gc, gcProcessor(core), { connection, prefix, concurrency: 1 }),
    // Deliveries wait on other people's servers (up to the timeout each): many at once.
    new Worker(QUEUE.webhook, webhookProcessor(core), { connection, prefix, concurrency: 8 }),
    new Worker(QUEUE.keyExpiry, keyExpiryProcessor(core), { connection, prefix, concurrency: 1 }),
    new Worker(QUEUE.validUntil, validUntilProcessor(core), { connection, prefix, concurrency: 1 }),
  ];
  for (const w of workers) {
    w.on('failed', (job, err) =>
      core.log.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'),
    );
    w.on('error', (err) => core.log.error({ queue: w.name, err: err.message }, 'worker error'));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await requeueUnfinishedWork(core);
  await core.queues.scheduleAdvisoryImport(
    core.config.osvSources.length > 0 ? core.config.osvImportIntervalMs : 0,
  );
  await core.queues.scheduleGc(core.config.gc.intervalMs);
  await core.queues.scheduleUpkeep(core.config.keyCheckIntervalMs);
  await requeueWebhookDeliveries(core);
  // Webhook events are recorded in the transactions of their changes; this moves them onto the queue.
  const dispatcher = startWebhookDispatcher(core);
  // Expired rate-limit windows are dead rows; any worker may sweep them (the delete is idempotent).
  const sweep = setInterval(() => {
    pruneRateLimitBuckets(core).catch((err) =>
      core.log.warn({ err: (err as Error).message }, 'rate-limit sweep failed'),
    );
    // Token access logs are kept PALLET_ACCESS_LOG_DAYS (docs/access-monitoring.md).
    pruneTokenAccess(core).catch((err) =>
      core.log.warn({ err: (err as Error).message }, 'token access log sweep failed'),
    );
  }, 15 * 60_000);
  sweep.unref();
  core.log.info({ prefix }, 'worker ready');
  return {
    async close() {
      clearInterval(sweep);
      await dispatcher.close();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
