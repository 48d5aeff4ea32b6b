// Worker process entry point: `npm run start -w @pallet/worker` (or `npm start` at the root).
import { loadConfig } from '@pallet/config';
import { createCoreContext, palletMetrics, startMetricsRelay } from '@pallet/core';
import { startWorker } from './worker';

/** Running jobs get this long to finish on SIGTERM; unfinished ones are picked up again on restart. */
const SHUTDOWN_GRACE_MS = 3000;

// Names this process's metrics before anything counts; /metrics on the web reads them from Redis.
palletMetrics('worker');
const core = createCoreContext(loadConfig());
const worker = await startWorker(core);
const stopMetricsRelay = startMetricsRelay(core);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  core.log.info({ signal }, 'worker stopping');
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 2000).unref();
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([worker.close(), grace]);
  await Promise.allSettled([stopMetricsRelay(), core.queues.close(), core.db.$disconnect()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
