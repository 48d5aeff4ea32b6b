import { ingestPackage, stageUpload, uploadPackage, requestPublication } from '@pallet/core';
import { createBenchRepository } from './lib/bench-repository';
import { buildSyntheticDeb } from './lib/synthetic-deb';
const bench = await createBenchRepository('bench');
const t = { stage: 0, upload: 0, ingest: 0 };
try {
  for (let i = 0; i < 100; i++) {
    const bytes = buildSyntheticDeb(i).bytes;
    let s = performance.now();
    const staged = await stageUpload(bench.ctx, (async function* () { yield bytes; })(), { maxBytes: 1e8 });
    t.stage += performance.now() - s; s = performance.now();
    const { package: p } = await uploadPackage(bench.ctx, bench.actor, bench.org, bench.repo, staged, { distribution: 'debian/bookworm' });
    t.upload += performance.now() - s; s = performance.now();
    await ingestPackage(bench.ctx, p.id);
    t.ingest += performance.now() - s;
  }
  console.log(t);
  let s = performance.now();
  for (let i = 0; i < 50; i++) await bench.ctx.queues.enqueueIngest({ packageId: 'x' + i });
  console.log('enqueueIngest x50', performance.now() - s);
  const d = await bench.ctx.db.distribution.findFirstOrThrow();
  s = performance.now();
  for (let i = 0; i < 50; i++) await requestPublication(bench.ctx, d.id, 1000 + i);
  console.log('requestPublication x50', performance.now() - s);
  s = performance.now();
  for (let i = 0; i < 50; i++) await bench.ctx.db.distribution.update({ where: { id: d.id }, data: { generation: { increment: 1 } } });
  console.log('gen bump x50', performance.now() - s);
} finally { await bench.close(); }
