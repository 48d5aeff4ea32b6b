// Web and worker are separate processes; Prometheus scrapes the web's /metrics only. Each worker writes
// a snapshot of its registry to Redis every few seconds (expiring after 30 s, so a stopped worker drops
// out), and /metrics sums every live snapshot with the web process's own metrics. Series carry a
// `process` label (web or worker), so the two never mix. With several web instances, each one reports
// the same worker totals: aggregate worker series with max(), not sum(), across web instances.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { AggregatorRegistry } from 'prom-client';
import type { CoreContext } from '../context/core-context';
import { palletMetrics } from './pallet-metrics';

const SNAPSHOT_TTL_S = 30;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

function snapshotPrefix(ctx: CoreContext): string {
  return `${ctx.config.redisPrefix}:metrics:worker:`;
}

type Snapshot = Awaited<ReturnType<ReturnType<typeof palletMetrics>['registry']['getMetricsAsJSON']>>;

let client: Redis | undefined;

/** One small connection per process for the snapshots (BullMQ's own are blocking or busy). */
function redis(ctx: CoreContext): Redis {
  client ??= new Redis(ctx.config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  return client;
}

/** Worker: writes this process's metrics for the web's /metrics to pick up. */
export async function publishWorkerMetrics(ctx: CoreContext): Promise<void> {
  const json = await palletMetrics('worker').registry.getMetricsAsJSON();
  const key = `${snapshotPrefix(ctx)}${hostname()}:${process.pid}`;
  await redis(ctx).set(key, JSON.stringify(json), 'EX', SNAPSHOT_TTL_S);
}

/** Worker: keeps publishing every intervalMs until the returned stop function is called. */
export function startMetricsRelay(ctx: CoreContext, intervalMs = 5000): () => Promise<void> {
  const tick = () =>
    publishWorkerMetrics(ctx).catch((err) =>
      ctx.log.warn({ err: (err as Error).message }, 'metrics snapshot not written'),
    );
  void tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await tick();
    await client?.quit().catch(() => {});
    client = undefined;
  };
}

async function workerSnapshots(ctx: CoreContext): Promise<Snapshot[]> {
  const client = redis(ctx);
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${snapshotPrefix(ctx)}*`, 'COUNT', 100);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await client.mget(...keys);
  return values.filter((v): v is string => !!v).map((v) => JSON.parse(v) as Snapshot);
}

/**
 * Web: the Prometheus text of this process, the queues and every live worker. `extra` adds registries
 * of this web process kept elsewhere (the front's Next.js child), summed with its own series.
 */
export async function renderMetrics(
  ctx: CoreContext,
  extra?: () => Promise<unknown[]>,
): Promise<{ contentType: string; body: string }> {
  const own = palletMetrics('web');
  own.queueJobs.reset();
  await Promise.all(
    Object.entries(ctx.queues.queues).map(async ([name, queue]) => {
      const counts = await queue.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) own.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
    }),
  );
  const others = extra ? ((await extra().catch(() => [])) as Snapshot[]) : [];
  const all = [await own.registry.getMetricsAsJSON(), ...others, ...(await workerSnapshots(ctx))];
  const registry = AggregatorRegistry.aggregate(all);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
