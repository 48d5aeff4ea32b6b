// SBOMs (issue 12): the time to produce a publication's CycloneDX 1.6 and SPDX 2.3 JSON documents —
// getPublicationSbom (authorization, the package rows, the document) plus JSON.stringify, as the API
// route answers — for a publication of 1,000 and of 10,000 .debs. Reference: the target of
// under a second. Packages are bulk-inserted rows (bench/lib/bulk-insert-packages.ts) with declared
// licenses, published for real; median of 5 runs after a warm-up.
import { getPublicationSbom, ingestPackage, publishDistribution } from '@pallet/core';
import { createBenchRepository } from '../lib/bench-repository';
import { bulkInsertPackages } from '../lib/bulk-insert-packages';
import { uploadOne } from '../lib/register-packages';
import { median, report } from '../lib/report';
import { buildSyntheticDeb } from '../lib/synthetic-deb';

const sizes = (process.argv[2] || '1000,10000').split(',').map(Number);
const RUNS = 5;
const target = { name: 'issue 12 target: under 1 s', ms: 1000 };

const bench = await createBenchRepository('bench-sbom', 'ed25519');
const { ctx } = bench;
try {
  for (const [n, size] of sizes.entries()) {
    // A distribution per size: its first package through the real upload path, the rest bulk-inserted.
    const release = `sbom${n}`;
    const firstId = await uploadOne(bench, `debian/${release}`, {
      bytes: buildSyntheticDeb(0, release).bytes,
    });
    await ingestPackage(ctx, firstId);
    const { distributionId } = await ctx.db.package.findUniqueOrThrow({ where: { id: firstId } });
    await bulkInsertPackages(bench, distributionId, size - 1, (i) => buildSyntheticDeb(i + 1, release).bytes);
    // Licenses as DEP-5 copyright files declare them, so documents carry expressions and LicenseRefs.
    await ctx.db.$executeRaw`UPDATE "Package" SET "licenses" = CASE WHEN random() < 0.5
      THEN ARRAY['GPL-2.0-or-later OR Artistic-1.0', 'MIT'] ELSE ARRAY['LicenseRef-BSD-variant'] END
      WHERE "distributionId" = ${distributionId}`;
    const published = await publishDistribution(ctx, distributionId);
    if (!published.publicationId) throw new Error('the publication did not run');
    for (const format of ['cyclonedx', 'spdx'] as const) {
      const produce = async () => {
        const t0 = performance.now();
        const sbom = await getPublicationSbom(
          ctx,
          bench.actor,
          bench.org,
          bench.repo,
          published.publicationId!,
          {
            format,
          },
        );
        const bytes = JSON.stringify(sbom.document).length;
        return { ms: performance.now() - t0, bytes };
      };
      const warm = await produce();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await produce()).ms);
      report({
        scenario: `sbom: ${format === 'spdx' ? 'SPDX 2.3' : 'CycloneDX 1.6'} JSON of a publication`,
        packages: size,
        ms: median(times),
        references: [target],
        note: `${Math.round(warm.bytes / 1024).toLocaleString('en-US')} KiB document`,
      });
    }
  }
} finally {
  await bench.close();
}
