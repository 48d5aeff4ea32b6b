// The flow both formats share: fill one distribution to each size, time publishDistribution (the
// worker's publish job) on it, then add packages one at a time and time the worker's two jobs for
// each (ingestPackage + publishDistribution). Each size grows the same distribution. The jobs run in
// a separate, long-lived worker process (publish-worker.ts); this process only fills the database.
import { readFile } from 'node:fs/promises';
import { ingestPackage } from '@pallet/core';
import { type BenchRepository, createBenchRepository } from './bench-repository';
import { bulkInsertPackages } from './bulk-insert-packages';
import { measure } from './measure';
import { startPublishWorker } from './publish-worker';
import { type PackageSource, registerPackages, uploadOne } from './register-packages';
import { median, type Reference, report } from './report';

export interface ScenarioHooks {
  /** the distribution now holds base packages 0..base-1 and extra packages 0..extras-1 */
  afterFill?(size: number, held: { base: number; extras: number }): Promise<Reference[]>;
  /** extra package `x` was just added */
  afterAdd?(x: number): Promise<Reference[]>;
}

export interface PublishScenario {
  format: 'deb' | 'rpm';
  distribution: string;
  /** distribution sizes, ascending; the first is filled through the real upload path */
  sizes: number[];
  /** packages added one at a time at each size (median reported) */
  adds: number;
  base(i: number): PackageSource;
  extra(x: number): PackageSource;
  /** references for the add-one figure at a size */
  addReferences?(size: number): Reference[];
  hooks?: ScenarioHooks;
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function bytesOf(source: PackageSource): Promise<Uint8Array> {
  if ('bytes' in source) return source.bytes;
  return readFile(source.path);
}

export async function runPublishScenario(s: PublishScenario): Promise<void> {
  const bench: BenchRepository = await createBenchRepository(`bench_${s.format}`);
  const worker = startPublishWorker(bench.instance.env);
  try {
    // A worker is a long-running process: publish a one-package distribution first so module
    // loading and JIT warm-up (openpgp.js, liblzma, Prisma) are not counted in the first figure.
    const warmUp = `${s.distribution.split('/')[0]}/warmup`;
    await ingestPackage(bench.ctx, await uploadOne(bench, warmUp, s.base(0)));
    const warm = await bench.ctx.db.distribution.findFirstOrThrow({ where: { name: warmUp } });
    await worker.publish(warm.id);
    let baseCount = 0;
    let extras = 0;
    let distributionId = '';
    for (const size of s.sizes) {
      const wanted = size - extras;
      if (baseCount === 0) {
        const { ms } = await measure(() => registerPackages(bench, s.distribution, wanted, (i) => s.base(i)));
        report({
          scenario: `${s.format}: upload + ingest through core (setup, not worker time)`,
          packages: wanted,
          ms,
          note: `${(ms / wanted).toFixed(1)} ms a package, 6 at a time`,
        });
        distributionId = (
          await bench.ctx.db.distribution.findFirstOrThrow({ where: { name: s.distribution } })
        ).id;
      } else {
        const { ms } = await measure(() =>
          bulkInsertPackages(bench, distributionId, wanted - baseCount, (i) =>
            bytesOf(s.base(baseCount + i)),
          ),
        );
        report({
          scenario: `${s.format}: bulk insert of rows (setup)`,
          packages: wanted - baseCount,
          ms,
        });
      }
      baseCount = wanted;
      const published = await worker.publish(distributionId);
      if (published.result.packageCount !== size)
        throw new Error(`published ${published.result.packageCount} packages, expected ${size}`);
      const fillRefs = (await s.hooks?.afterFill?.(size, { base: baseCount, extras })) ?? [];
      report({
        scenario: `${s.format}: publish ${fmt(size)} packages`,
        packages: size,
        ms: published.ms,
        peakRssBytes: published.peakRssBytes,
        startRssBytes: published.startRssBytes,
        references: fillRefs,
      });

      const totals: number[] = [];
      const publishes: number[] = [];
      const ingests: number[] = [];
      let peak = 0;
      let startRss = Number.POSITIVE_INFINITY;
      const addRefs: Reference[][] = [];
      for (let k = 0; k < s.adds; k++) {
        const id = await uploadOne(bench, s.distribution, s.extra(extras));
        const ingest = await worker.ingest(id);
        const publish = await worker.publish(distributionId);
        if (publish.result.packageCount !== size + k + 1)
          throw new Error('the added package was not published');
        ingests.push(ingest.ms);
        publishes.push(publish.ms);
        totals.push(ingest.ms + publish.ms);
        peak = Math.max(peak, ingest.peakRssBytes, publish.peakRssBytes);
        startRss = Math.min(startRss, ingest.startRssBytes);
        addRefs.push((await s.hooks?.afterAdd?.(extras)) ?? []);
        extras++;
      }
      const refs = [...(s.addReferences?.(size) ?? [])];
      for (const name of new Set(addRefs.flat().map((r) => r.name))) {
        refs.push({
          name,
          ms: median(
            addRefs
              .flat()
              .filter((r) => r.name === name)
              .map((r) => r.ms),
          ),
        });
      }
      report({
        scenario: `${s.format}: add 1 to ${fmt(size)} (ingest + publish)`,
        packages: size + 1,
        ms: median(totals),
        peakRssBytes: peak,
        startRssBytes: startRss,
        references: refs,
        note: `median of ${s.adds}; publish alone ${median(publishes).toFixed(0)} ms, ingest ${median(ingests).toFixed(0)} ms`,
      });
    }
  } finally {
    await worker.close();
    await bench.close();
  }
}
