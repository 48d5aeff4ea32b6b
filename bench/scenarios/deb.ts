// APT: publish 1,000 and 10,000 .deb packages into one distribution and add one more to each
// (issues 2 and 15), beside reprepro and aptly on the very same files, each in a repository of its
// own: `reprepro export` / `aptly publish` for the full publication, `reprepro includedeb` / `aptly repo
// add` + `aptly publish update` for each added package (all measured here, in the same run).

import { AptlyReference } from '../lib/aptly';
import { runPublishScenario } from '../lib/publish-scenario';
import { report } from '../lib/report';
import { RepreproReference } from '../lib/reprepro';
import { buildSyntheticDeb } from '../lib/synthetic-deb';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const reprepro = RepreproReference.available() ? new RepreproReference('bookworm') : null;
if (!reprepro) console.log('reprepro is missing: deb figures have only quoted references.');
const aptly = AptlyReference.available() ? new AptlyReference('bookworm') : null;
if (!aptly) console.log('aptly is missing: its figure is the quoted one.');
const fmt = (n: number) => n.toLocaleString('en-US');
let included = { base: 0, extras: 0 };
// The references run up to 10,000 packages: at 100,000 (printed for how Pallet's cost grows with the
// change, not the repository) reprepro would spend most of an hour including the files.
const REFERENCE_MAX = 10_000;
let current = 0;
// reprepro includedeb times at the largest size it ran, the reference for add-one at 100,000.
const repreproAdds: number[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  await runPublishScenario({
    format: 'deb',
    distribution: 'debian/bookworm',
    sizes,
    adds: 5,
    base: (i) => ({ bytes: buildSyntheticDeb(i).bytes }),
    extra: (x) => ({ bytes: buildSyntheticDeb(x, 'extra').bytes }),
    addReferences: (size) => [
      ...(size >= 10_000 && !aptly
        ? [{ name: 'aptly repo add + publish update (quoted, not measured here)', ms: 2800 }]
        : []),
      ...(size < 10_000 ? [{ name: 'issue 2 target: well under 1 s of worker time', ms: 1000 }] : []),
      ...(size > REFERENCE_MAX && repreproAdds.length
        ? [
            {
              name: `reprepro includedeb into ${fmt(REFERENCE_MAX)} (measured here; not run at ${fmt(size)})`,
              ms: median(repreproAdds),
            },
          ]
        : []),
    ],
    hooks:
      reprepro || aptly
        ? {
            async afterFill(size, held) {
              current = size;
              if (size > REFERENCE_MAX) return [];
              const debs = [
                ...Array.from({ length: held.base - included.base }, (_, i) =>
                  buildSyntheticDeb(included.base + i),
                ),
                ...Array.from({ length: held.extras - included.extras }, (_, x) =>
                  buildSyntheticDeb(included.extras + x, 'extra'),
                ),
              ];
              included = { base: held.base, extras: held.extras };
              const refs = [];
              if (reprepro) {
                const ms = await reprepro.include(debs);
                report({
                  scenario: `deb: reprepro includedeb of ${fmt(debs.length)} files (setup)`,
                  packages: debs.length,
                  ms,
                });
                refs.push({
                  name: 'reprepro export, unsigned (measured here)',
                  ms: await reprepro.exportAll(),
                });
              }
              if (aptly) {
                const ms = await aptly.add(debs);
                report({
                  scenario: `deb: aptly repo add of ${fmt(debs.length)} files (setup)`,
                  packages: debs.length,
                  ms,
                });
                refs.push({ name: 'aptly publish, unsigned (measured here)', ms: await aptly.publish() });
              }
              return refs;
            },
            async afterAdd(x) {
              if (current > REFERENCE_MAX) return [];
              const deb = buildSyntheticDeb(x, 'extra');
              included.extras = x + 1;
              const refs = [];
              if (reprepro) {
                const ms = await reprepro.include([deb]);
                if (current === REFERENCE_MAX) repreproAdds.push(ms);
                refs.push({ name: 'reprepro includedeb, unsigned (measured here)', ms });
              }
              if (aptly)
                refs.push({
                  name: 'aptly repo add + publish update, unsigned (measured here)',
                  ms: await aptly.addOne(deb),
                });
              return refs;
            },
          }
        : undefined,
  });
} finally {
  reprepro?.close();
  aptly?.close();
}
