// YUM/DNF: publish 1,000 and 10,000 rpms into one distribution and add one more to each (issues 3
// and 15), beside createrepo_c on the very same files in a directory of its own: a full run for the
// initial publication, `createrepo_c --update` after each added package. The rpms are written
// in-process (lib/rpm-set.ts), so 10,000 take seconds.
import { CreaterepoReference } from '../lib/createrepo';
import { runPublishScenario } from '../lib/publish-scenario';
import { report } from '../lib/report';
import { ensureRpmSet } from '../lib/rpm-set';

const sizes = (process.argv[2] ?? '1000').split(',').map(Number);
const ADDS = 3;
const largest = Math.max(...sizes);
const set = await ensureRpmSet(largest, ADDS * sizes.length);
report({
  scenario: `rpm: writing the package set (setup${set.cached ? ', cached from an earlier run' : ''})`,
  packages: largest + ADDS * sizes.length,
  ms: set.builtMs,
});

const createrepo = CreaterepoReference.available() ? new CreaterepoReference() : null;
if (!createrepo) console.log('createrepo_c or /usr/bin/time is missing: rpm figures have no reference.');
const fmt = (n: number) => n.toLocaleString('en-US');

try {
  await runPublishScenario({
    format: 'rpm',
    distribution: 'el/9',
    sizes,
    adds: ADDS,
    base: (i) => ({ path: set.base(i) }),
    extra: (x) => ({ path: set.extra(x) }),
    hooks: createrepo
      ? {
          async afterFill(size, held) {
            createrepo.add(Array.from({ length: held.base }, (_, i) => set.base(i)));
            createrepo.add(Array.from({ length: held.extras }, (_, x) => set.extra(x)));
            const full = await createrepo.run([]);
            report({
              scenario: `rpm: createrepo_c, full run on ${fmt(size)} files`,
              packages: size,
              ms: full.ms,
              peakRssBytes: full.peakRssBytes,
            });
            return [{ name: 'createrepo_c full run (measured here)', ms: full.ms }];
          },
          async afterAdd(x) {
            createrepo.add([set.extra(x)]);
            const update = await createrepo.run(['--update']);
            // Pallet writes no sqlite databases; createrepo_c 0.17 does unless told not to.
            const noDb = await createrepo.run(['--update', '--no-database']);
            return [
              { name: 'createrepo_c --update (measured here)', ms: update.ms },
              { name: 'createrepo_c --update --no-database (measured here)', ms: noDb.ms },
            ];
          },
        }
      : undefined,
  });
} finally {
  createrepo?.close();
}
