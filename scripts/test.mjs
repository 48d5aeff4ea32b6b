// `npm test`: sets the machine up (as `npm start` does, plus the real package clients and Chromium),
// then runs typecheck, lint, unit + integration tests, builds the web app and runs the end-to-end suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, setup } from './lib/setup.mjs';

await setup('test');
const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };

const steps = [
  ['typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only', '--concurrency=2']],
  ['typecheck bench', 'npx', ['tsc', '-p', 'bench/tsconfig.json']],
  ['lint', 'npx', ['biome', 'check', '.']],
  [
    'unit + integration',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${join(out, 'vitest.json')}`],
  ],
  ['build web', 'npx', ['turbo', 'run', 'build', '--filter=@pallet/web', '--output-logs=errors-only']],
  [
    'end-to-end',
    'npx',
    [
      'vitest',
      'run',
      '-c',
      'e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${join(out, 'e2e.json')}`,
    ],
  ],
  // The package-client suites (apt; dnf and zypper in rpm) again with S3 storage (s3rver started per
  // instance), plus overwrite (names keep their bytes) and garbage collection, whose storage listing
  // differs most between backends. `npm run test:e2e:s3` runs the whole suite on S3 (about 20 min).
  [
    'end-to-end on S3',
    'npx',
    [
      'vitest',
      'run',
      '-c',
      'e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${join(out, 'e2e-s3.json')}`,
      'e2e/apt.e2e.test.ts',
      'e2e/rpm.e2e.test.ts',
      'e2e/private-repo.e2e.test.ts',
      'e2e/upload-overwrite.e2e.test.ts',
      'e2e/gc.e2e.test.ts',
    ],
    { PALLET_E2E_STORAGE: 's3' },
  ],
];

const failedSteps = [];
for (const [name, cmd, args, stepEnv] of steps) {
  console.log(`\n[test] ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...stepEnv } });
  console.log(
    `[test] ${name} ${r.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (r.status !== 0) failedSteps.push(name);
  // Without a build there is nothing for the end-to-end suite to run against.
  if (r.status !== 0 && name === 'build web') break;
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ['vitest.json', 'e2e.json', 'e2e-s3.json']) {
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
