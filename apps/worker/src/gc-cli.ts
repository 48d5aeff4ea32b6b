// `npm run gc -- [--dry-run] [--json]`: one garbage collection now, with the instance's configuration
// (the same environment as the worker). A dry run lists what would go and its bytes and changes nothing.
import { loadConfig } from '@pallet/config';
import { collectGarbage, createCoreContext, type GcReport } from '@pallet/core';

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--dry-run' && a !== '--json') {
    console.error(`unknown option ${a}\nusage: npm run gc -- [--dry-run] [--json]`);
    process.exit(2);
  }
}
// Collection never decrypts anything: like `npm start`, accept the development key when none is set.
if (!process.env.PALLET_MASTER_KEY) process.env.PALLET_ALLOW_DEV_KEY = '1';
const core = createCoreContext({ ...loadConfig(), logLevel: 'warn' });
let report: GcReport;
try {
  report = await collectGarbage(core, { dryRun: args.has('--dry-run') });
} finally {
  await Promise.allSettled([core.queues.close(), core.db.$disconnect()]);
  (core.storage as { destroy?: () => void }).destroy?.();
}
if (args.has('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(formatReport(report));
}
process.exit(report.failures.length ? 1 : 0);

function formatReport(r: GcReport): string {
  const verb = r.dryRun ? 'would remove' : 'removed';
  const lines = r.items.map(
    (i) => `${verb} ${i.kind.padEnd(16)} ${String(i.bytes).padStart(12)} B  ${i.key}`,
  );
  lines.push('');
  lines.push(`${r.dryRun ? 'dry run: ' : ''}superseded publications past retention: ${r.publications}`);
  for (const [kind, t] of Object.entries(r.totals)) {
    lines.push(`${kind.padEnd(16)} ${String(t.count).padStart(6)} objects ${human(t.bytes).padStart(10)}`);
  }
  const all = Object.values(r.totals).reduce(
    (a, t) => ({ count: a.count + t.count, bytes: a.bytes + t.bytes }),
    {
      count: 0,
      bytes: 0,
    },
  );
  lines.push(
    `${'total'.padEnd(16)} ${String(all.count).padStart(6)} objects ${human(all.bytes).padStart(10)} (${all.bytes} bytes)`,
  );
  if (r.incompleteWritesUnlisted) {
    lines.push('note: this S3 server cannot list incomplete multipart uploads; use a bucket lifecycle rule');
  }
  for (const f of r.failures) lines.push(`failed: ${f}`);
  return lines.join('\n');
}

function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
