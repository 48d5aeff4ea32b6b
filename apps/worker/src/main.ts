// Worker process entry point: `npm run start -w @pallet/worker` (or `npm start` at the root).
import { loadConfig } from '@pallet/config';
import { createCoreContext } from '@pallet/core';
import { startWorker } from './worker';

const core = createCoreContext(loadConfig());
const worker = await startWorker(core);

async function shutdown(signal: string) {
  core.log.info({ signal }, 'worker stopping');
  await worker.close();
  await core.queues.close();
  await core.db.$disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
