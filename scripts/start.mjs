// `npm start`: sets the machine up, builds the web app when needed, then runs web + worker under a
// supervisor (scripts/lib/supervise.mjs): a crashed process is restarted, the other keeps running,
// and SIGTERM/SIGINT stop both within a few seconds.
import { spawnSync } from 'node:child_process';
import { root, setup } from './lib/setup.mjs';
import { palletProcesses, supervise } from './lib/supervise.mjs';

await setup('start');
// One machine, no master key given: allow the generated development key (config warns loudly).
if (!process.env.PALLET_MASTER_KEY) process.env.PALLET_ALLOW_DEV_KEY = '1';
const build = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=@pallet/web', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT ?? '3000';
const supervisor = supervise(palletProcesses({ ...process.env, NODE_ENV: 'production' }));
console.log(
  `[pallet] web on ${process.env.APP_URL ?? `http://localhost:${port}`}, worker running. Ctrl-C stops both.`,
);
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`[pallet] stopping (${signal})`);
  await supervisor.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
