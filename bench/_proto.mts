import { publishDistribution } from '@pallet/core';
import { createBenchRepository } from './lib/bench-repository';
import { registerPackages } from './lib/register-packages';
import { buildSyntheticDeb } from './lib/synthetic-deb';
import { measure } from './lib/measure';
const N = Number(process.argv[2] ?? 200);
const bench = await createBenchRepository('bench');
try {
  let t = performance.now();
  await registerPackages(bench, 'debian/bookworm', N, (i) => ({ bytes: buildSyntheticDeb(i).bytes }), Number(process.argv[3] ?? 6));
  console.log('register', N, performance.now() - t);
  const dist = await bench.ctx.db.distribution.findFirstOrThrow();
  const m = await measure(() => publishDistribution(bench.ctx, dist.id));
  console.log('publish', m.ms, m.peakRssBytes / 1e6, m.result);
} finally { await bench.close(); }
