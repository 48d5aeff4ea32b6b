// `npm test`: sets the machine up (as `npm start` does, plus the real package clients and Chromium),
// then runs typecheck, lint, unit + integration tests, builds the web app and runs the end-to-end suite.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, setup } from './lib/setup.mjs';

await setup('test');
const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };

const step = (name, cmd, args, stepEnv = {}) => ({ name, cmd, args, env: stepEnv });
const vitestJson = (file) => ['--reporter=default', '--reporter=json', `--outputFile=${join(out, file)}`];

// Stages run one after the other; the lanes of a stage run side by side, each its steps in turn. On two
// cores the unit + integration tests (one vitest worker, much of it waiting on PostgreSQL, Redis and the
// package clients) leave a core to the type checks, lint and the web build, which nothing else needs
// first. The end-to-end suite needs the build, and runs alone: it keeps both cores busy itself.
const stages = [
  [
    [
      step('typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only', '--concurrency=2']),
      step('typecheck bench', 'npx', ['tsc', '-p', 'bench/tsconfig.json']),
      step('lint', 'npx', ['biome', 'check', '.']),
      step('build web', 'npx', [
        'turbo',
        'run',
        'build',
        '--filter=@pallet/web',
        '--output-logs=errors-only',
      ]),
    ],
    [step('unit + integration', 'npx', ['vitest', 'run', ...vitestJson('vitest.json')])],
  ],
  [
    [
      // Every file on the filesystem storage, the files whose behaviour differs most between backends
      // again on S3, two files at a time (e2e/vitest.suite.config.ts says why that is safe).
      step('end-to-end', 'npx', [
        'vitest',
        'run',
        '-c',
        'e2e/vitest.suite.config.ts',
        ...vitestJson('e2e.json'),
      ]),
    ],
  ],
];

/** Runs one step; beside other lanes its output is kept and printed in one piece when it ends. */
function runStep({ name, cmd, args, env: stepEnv }, alone) {
  if (alone) console.log(`\n[test] ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...env, ...stepEnv },
    stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  const chunks = [];
  child.stdout?.on('data', (c) => chunks.push(c));
  child.stderr?.on('data', (c) => chunks.push(c));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const seconds = Math.round((Date.now() - started) / 1000);
      if (!alone) {
        console.log(`\n[test] ${name}: ${cmd} ${args.join(' ')}`);
        process.stdout.write(Buffer.concat(chunks));
      }
      console.log(`[test] ${name} ${ok ? 'ok' : `FAILED${signal ? ` (${signal})` : ''}`} in ${seconds} s`);
      resolve(ok);
    });
  });
}

const failedSteps = [];
let stopped = false;
for (const lanes of stages) {
  const alone = lanes.length === 1;
  await Promise.all(
    lanes.map(async (lane) => {
      for (const s of lane) {
        if (await runStep(s, alone)) continue;
        failedSteps.push(s.name);
        // Without a build there is nothing for the end-to-end suite to run against.
        if (s.name === 'build web') stopped = true;
      }
    }),
  );
  if (stopped) break;
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ['vitest.json', 'e2e.json']) {
  const path = join(out, file);
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(
  failedSteps.length ? `\n[test] failed steps: ${failedSteps.join(', ')}` : '\n[test] every step passed',
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedSteps.length ? 1 : 0);
