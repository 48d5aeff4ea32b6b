// APT: publish 1,000 and 10,000 .deb packages into one distribution and add one more to each
// (issues 2 and 15), beside reprepro on the very same files in a repository of its own: `reprepro
// export` for the full publication, `reprepro includedeb` for each added package (measured here).
import { runPublishScenario } from '../lib/publish-scenario';
import { report } from '../lib/report';
import { RepreproReference } from '../lib/reprepro';
import { buildSyntheticDeb } from '../lib/synthetic-deb';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const reprepro = RepreproReference.available() ? new RepreproReference('bookworm') : null;
if (!reprepro) console.log('reprepro is missing: deb figures have only quoted references.');
const fmt = (n: number) => n.toLocaleString('en-US');
let included = { base: 0, extras: 0 };

try {
  await runPublishScenario({
    format: 'deb',
    distribution: 'debian/bookworm',
    sizes,
    adds: 3,
    base: (i) => ({ bytes: buildSyntheticDeb(i).bytes }),
    extra: (x) => ({ bytes: buildSyntheticDeb(x, 'extra').bytes }),
    addReferences: (size) =>
      size >= 10_000
        ? [{ name: 'aptly repo add + publish update (quoted, not measured here)', ms: 2800 }]
        : [{ name: 'issue 2 target: well under 1 s of worker time', ms: 1000 }],
    hooks: reprepro
      ? {
          async afterFill(_size, held) {
            const debs = [
              ...Array.from({ length: held.base - included.base }, (_, i) =>
                buildSyntheticDeb(included.base + i),
              ),
              ...Array.from({ length: held.extras - included.extras }, (_, x) =>
                buildSyntheticDeb(included.extras + x, 'extra'),
              ),
            ];
            const ms = await reprepro.include(debs);
            included = { base: held.base, extras: held.extras };
            report({
              scenario: `deb: reprepro includedeb of ${fmt(debs.length)} files (setup)`,
              packages: debs.length,
              ms,
            });
            return [{ name: 'reprepro export, unsigned (measured here)', ms: await reprepro.exportAll() }];
          },
          async afterAdd(x) {
            const ms = await reprepro.include([buildSyntheticDeb(x, 'extra')]);
            included.extras = x + 1;
            return [{ name: 'reprepro includedeb, unsigned (measured here)', ms }];
          },
        }
      : undefined,
  });
} finally {
  reprepro?.close();
}
