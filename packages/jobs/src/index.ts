// Queue names, job payload schemas and enqueue helpers shared by web (producer) and worker (consumer).
import { type ConnectionOptions, type JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { coalesceCalls } from './coalesce-calls';

export const QUEUE = {
  ingest: 'ingest',
  publish: 'publish',
  purge: 'purge',
  rekey: 'rekey',
  scan: 'scan',
  gc: 'gc',
  webhook: 'webhook',
  keyExpiry: 'keyExpiry',
  validUntil: 'validUntil',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/**
 * `distributionId`: ingest every package of the distribution that waits for it (an upload's job; one is
 * waiting and one running at most per distribution, so a burst is taken in a few batches). `packageId`:
 * one package alone (a copy, or a package a batch could not prepare, retried on its own).
 */
export const ingestPayload = z.union([
  z.object({ distributionId: z.string().min(1) }),
  z.object({ packageId: z.string().min(1) }),
]);
export type IngestPayload = z.infer<typeof ingestPayload>;

export const publishPayload = z.object({
  distributionId: z.string().min(1),
  generation: z.number().int().min(0),
});
export type PublishPayload = z.infer<typeof publishPayload>;

export const purgePayload = z.object({ publicationId: z.string().min(1) });
export type PurgePayload = z.infer<typeof purgePayload>;

/** After a key retirement or revocation: re-sign the repository's rpms, rebuild its keyring packages,
 * republish every distribution. */
export const rekeyPayload = z.object({
  repositoryId: z.string().min(1),
  /** false during a rotation's transition: rpms keep the signature machines with the old key trust */
  resignRpms: z.boolean().default(true),
});
export type RekeyPayload = z.input<typeof rekeyPayload>;
/** `package`: match one package against the advisories; `advisories`: import PALLET_OSV_SOURCES, rescan. */
export const scanPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('package'), packageId: z.string().min(1) }),
  z.object({ kind: z.literal('advisories') }),
]);
export type ScanPayload = z.infer<typeof scanPayload>;
export const webhookPayload = z.object({ deliveryId: z.string().min(1) });
export type WebhookPayload = z.infer<typeof webhookPayload>;

/**
 * A distribution's ingestion starts this long after the upload that queued it, so the uploads of a burst
 * arriving meanwhile join its batch (each batch costs its statements and jobs whatever its size). The
 * publication that follows waits for the debounce from the upload's time anyway (PALLET_PUBLISH_DEBOUNCE_MS,
 * 150 ms by default), so a single upload is not published later for it.
 */
export const INGEST_GATHER_MS = 50;

const retry: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
};

/** Parses a redis:// URL into BullMQ connection options (maxRetriesPerRequest null, as workers need). */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

export interface JobQueues {
  /**
   * A distribution's ingestion is deduplicated: while one waits, another request adds nothing (the
   * waiting one will see the new package); while one runs, one more is kept to run after it.
   */
  enqueueIngest(payload: IngestPayload): Promise<void>;
  /**
   * Coalesces per distribution like enqueueIngest (one waiting, one more while one runs); a debounce
   * delay lets bursts settle.
   */
  enqueuePublish(payload: PublishPayload, delayMs: number): Promise<void>;
  /** One CDN purge per publication switch (idempotent by publication). */
  enqueuePurge(payload: PurgePayload): Promise<void>;
  /** One re-signing run per key change (a later run finds nothing left to re-sign and only republishes). */
  enqueueRekey(payload: RekeyPayload): Promise<void>;
  /** A package scan (after ingestion) or an advisory import. */
  enqueueScan(payload: ScanPayload): Promise<void>;
  /** Imports the advisory sources every intervalMs (one schedule per Redis prefix); 0 removes it. */
  scheduleAdvisoryImport(intervalMs: number): Promise<void>;
  /** Runs garbage collection every intervalMs (one scheduler, whatever the number of workers); 0 stops it. */
  scheduleGc(intervalMs: number): Promise<void>;
  /** One webhook delivery (idempotent by delivery); retried with exponential backoff from retryBaseMs. */
  enqueueWebhookDelivery(
    payload: WebhookPayload,
    retry: { attempts: number; retryBaseMs: number },
  ): Promise<void>;
  /** Starts (or re-times) the repeating upkeep jobs: key expiry warnings and Valid-Until re-signing. */
  scheduleUpkeep(everyMs: number): Promise<void>;
  close(): Promise<void>;
  queues: Record<QueueName, Queue>;
}

export function createJobQueues(opts: { redisUrl: string; prefix: string }): JobQueues {
  const connection = redisConnection(opts.redisUrl);
  const queues = {
    ingest: new Queue(QUEUE.ingest, { connection, prefix: opts.prefix }),
    publish: new Queue(QUEUE.publish, { connection, prefix: opts.prefix }),
    purge: new Queue(QUEUE.purge, { connection, prefix: opts.prefix }),
    rekey: new Queue(QUEUE.rekey, { connection, prefix: opts.prefix }),
    scan: new Queue(QUEUE.scan, { connection, prefix: opts.prefix }),
    gc: new Queue(QUEUE.gc, { connection, prefix: opts.prefix }),
    webhook: new Queue(QUEUE.webhook, { connection, prefix: opts.prefix }),
    keyExpiry: new Queue(QUEUE.keyExpiry, { connection, prefix: opts.prefix }),
    validUntil: new Queue(QUEUE.validUntil, { connection, prefix: opts.prefix }),
  };
  // In-process too: while this process sends one request for a distribution, the uploads committed
  // meanwhile wait for one more sent after it (Redis would drop all but one of theirs anyway).
  const requestIngestion = coalesceCalls(async (distributionId) => {
    await queues.ingest.add(
      'ingest',
      { distributionId },
      {
        ...retry,
        delay: INGEST_GATHER_MS,
        deduplication: { id: `ingest-${distributionId}`, keepLastIfActive: true },
      },
    );
  });
  return {
    queues,
    async enqueueIngest(payload) {
      const p = ingestPayload.parse(payload);
      if ('distributionId' in p) return requestIngestion(p.distributionId);
      // One job a package at a time: a batch that meets the package again adds nothing.
      await queues.ingest.add('ingest', p, { ...retry, jobId: `ingest-${p.packageId}` });
    },
    async enqueuePublish(payload, delayMs) {
      const p = publishPayload.parse(payload);
      // The job publishes whatever the distribution holds when it runs, so requests coming while one
      // waits add nothing; one arriving while it runs is kept to run after it.
      await queues.publish.add('publish', p, {
        ...retry,
        delay: delayMs,
        deduplication: { id: `publish-${p.distributionId}`, keepLastIfActive: true },
      });
    },
    async enqueuePurge(payload) {
      const p = purgePayload.parse(payload);
      await queues.purge.add('purge', p, { ...retry, jobId: `purge-${p.publicationId}` });
    },
    async enqueueRekey(payload) {
      const p = rekeyPayload.parse(payload);
      await queues.rekey.add('rekey', p, { ...retry, jobId: `rekey-${p.repositoryId}-${Date.now()}` });
    },
    async enqueueScan(payload) {
      const p = scanPayload.parse(payload);
      const jobId = p.kind === 'package' ? `scan-${p.packageId}-${Date.now()}` : `advisories-${Date.now()}`;
      await queues.scan.add(p.kind, p, { ...retry, attempts: 3, jobId });
    },
    async scheduleAdvisoryImport(intervalMs) {
      if (intervalMs <= 0) {
        await queues.scan.removeJobScheduler('advisory-import');
        return;
      }
      await queues.scan.upsertJobScheduler(
        'advisory-import',
        { every: intervalMs },
        { name: 'advisories', data: { kind: 'advisories' }, opts: { attempts: 1 } },
      );
    },
    async scheduleGc(intervalMs) {
      if (intervalMs <= 0) {
        await queues.gc.removeJobScheduler('gc');
        return;
      }
      await queues.gc.upsertJobScheduler(
        'gc',
        { every: intervalMs },
        { name: 'gc', data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
      );
    },
    async enqueueWebhookDelivery(payload, opts) {
      const p = webhookPayload.parse(payload);
      await queues.webhook.add('webhook', p, {
        ...retry,
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: opts.retryBaseMs },
        jobId: `webhook-${p.deliveryId}`,
      });
    },
    async scheduleUpkeep(everyMs) {
      // One scheduler per queue (upsert: every worker may call it, the schedule exists once).
      const template = { opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } };
      await queues.keyExpiry.upsertJobScheduler(
        'key-expiry',
        { every: everyMs },
        { name: 'key-expiry', ...template },
      );
      await queues.validUntil.upsertJobScheduler(
        'valid-until',
        { every: everyMs },
        { name: 'valid-until', ...template },
      );
    },
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
