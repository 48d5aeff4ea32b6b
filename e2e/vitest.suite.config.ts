// The end-to-end suite as `npm test` runs it: every file on the filesystem storage, and the files whose
// behaviour differs most between backends again on S3 (s3rver per instance), two files at a time. Each
// file starts its own instance (database, Redis prefix, storage directory, ports) and gives apt, dnf and
// zypper their own roots, so two files share nothing but the machine; a file's processes mostly wait (on
// the publish debounce, the clients, timers): one file at a time used about 0.6 of a 2-core machine.
import { defineConfig } from 'vitest/config';
import e2e from './vitest.config.js';

/** The package-client suites (apt; dnf and zypper in rpm), overwrite (names keep their bytes) and garbage
 * collection, whose storage listing differs most between backends. `npm run test:e2e:s3` runs them all. */
const ON_S3_TOO = [
  'e2e/apt.e2e.test.ts',
  'e2e/rpm.e2e.test.ts',
  'e2e/private-repo.e2e.test.ts',
  'e2e/upload-overwrite.e2e.test.ts',
  'e2e/gc.e2e.test.ts',
];

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { ...e2e.test, name: 'fs', fileParallelism: true, env: { PALLET_E2E_STORAGE: 'fs' } } },
      {
        test: {
          ...e2e.test,
          name: 's3',
          include: ON_S3_TOO,
          fileParallelism: true,
          env: { PALLET_E2E_STORAGE: 's3' },
        },
      },
    ],
  },
});
