// `npm start`: sets the machine up, builds the web app when needed, then runs web + worker together.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, setup } from './lib/setup.mjs';

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
const children = [
  spawn('npx', ['next', 'start', '-p', port], { cwd: join(root, 'apps', 'web'), stdio: 'inherit' }),
  spawn('npx', ['tsx', 'src/main.ts'], { cwd: join(root, 'apps', 'worker'), stdio: 'inherit' }),
];
console.log(
  `[pallet] web on ${process.env.APP_URL ?? `http://localhost:${port}`}, worker running. Ctrl-C stops both.`,
);
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
};
for (const c of children) c.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
