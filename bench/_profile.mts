import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { publishDistribution, ingestPackage } from '@pallet/core';
import { compressIndex } from '@pallet/deb';
import { clearsignText, detachSign } from '@pallet/openpgp';
import { createBenchRepository } from './lib/bench-repository';
import { bulkInsertPackages } from './lib/bulk-insert-packages';
import { uploadOne } from './lib/register-packages';
import { buildSyntheticDeb } from './lib/synthetic-deb';
const N = Number(process.argv[2] ?? 1000);
const bench = await createBenchRepository('bench_prof');
try {
  const id0 = await uploadOne(bench, 'debian/bookworm', { bytes: buildSyntheticDeb(0).bytes });
  await ingestPackage(bench.ctx, id0);
  const dist = await bench.ctx.db.distribution.findFirstOrThrow();
  let t = performance.now();
  await bulkInsertPackages(bench, dist.id, N - 1, (i) => buildSyntheticDeb(i + 1).bytes);
  console.log('bulk', performance.now() - t);
  const st = { put: 0, head: 0, nput: 0 };
  const storage = bench.ctx.storage as any;
  const put0 = storage.put.bind(storage), head0 = storage.head.bind(storage);
  storage.put = async (...a: any[]) => { const s = performance.now(); try { return await put0(...a); } finally { st.put += performance.now() - s; st.nput++; } };
  storage.head = async (...a: any[]) => { const s = performance.now(); try { return await head0(...a); } finally { st.head += performance.now() - s; } };
  for (let k = 0; k < 3; k++) {
    st.put = 0; st.head = 0; st.nput = 0;
    await bench.ctx.db.distribution.update({ where: { id: dist.id }, data: { generation: { increment: 1 } } });
    const session = new Session(); session.connect();
    if (k > 0) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
    t = performance.now();
    await publishDistribution(bench.ctx, dist.id);
    if (k > 0) { const { profile } = await session.post('Profiler.stop'); writeFileSync(`/tmp/prof/publish-${k}.cpuprofile`, JSON.stringify(profile)); }
    console.log('publish', performance.now() - t, JSON.stringify(st));
  }
  const rows = await bench.ctx.db.package.findMany({ where: { distributionId: dist.id }, select: { indexEntry: true } });
  const plain = Buffer.from(rows.map((r) => r.indexEntry!.trimEnd()).join('\n\n') + '\n');
  console.log('Packages bytes', plain.length);
  for (let k = 0; k < 2; k++) { t = performance.now(); await compressIndex(plain); console.log('compressIndex', performance.now() - t); }
  t = performance.now(); await compressIndex(plain, { xzPreset: 1 }); 
  const { loadSigningKeys } = await import('../packages/core/src/signing-key/load-signing-keys');
  t = performance.now(); const keys = await loadSigningKeys(bench.ctx, dist.repositoryId); console.log('loadKeys', performance.now() - t);
  const rel = 'x'.repeat(5000);
  for (let k = 0; k < 2; k++) { t = performance.now(); await clearsignText(rel, keys.map((k) => k.privateKeyArmored)); console.log('clearsign', performance.now() - t); }
  t = performance.now(); await detachSign(rel, keys.map((k) => k.privateKeyArmored), { armor: true }); console.log('detach', performance.now() - t);
  t = performance.now();
  const r = await bench.ctx.db.package.findMany({ where: { distributionId: dist.id, status: { in: ['PROCESSING', 'PUBLISHED'] }, indexEntry: { not: null } }, select: { id: true, component: true, architecture: true, indexEntry: true, indexExtra: true, status: true }, orderBy: [{ name: 'asc' }, { version: 'asc' }, { architecture: 'asc' }, { id: 'asc' }] });
  console.log('findMany rows', performance.now() - t, r.length);
} finally { await bench.close(); }
