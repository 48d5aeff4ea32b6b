// `npm run bench`: publication benchmarks against the real PostgreSQL, Redis and storage (issues 2
// and 3). Each scenario runs in its own process (bench/scenarios/*.ts) and reports figures as JSON
// lines; this prints them as one table with the ratio to each named reference.
//   npm run bench                   deb 1,000 + 10,000 (+ 100,000 rows), rpm 1,000 + 10,000
//   npm run bench -- --quick        1,000 only
//   npm run bench -- --api          only the upload bursts through the API (builds the web app if needed)
//   npm run bench -- --serve        only the serving table (issue 10: origin and the shipped edge vs nginx, wrk)
//   (full runs also: a 120 s soak through the shipped edge, and a 1 GiB upload to S3 storage, ~3 min)
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { ensureDebianPackages, root, setup } from './lib/setup.mjs';

const RESULT_PREFIX = '@@bench ';
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

await setup('start');
// The APT reference, measured on the same files in the same run.
if (!args.has('--api')) ensureDebianPackages(['reprepro', 'aptly', 'createrepo-c']);

const apiOnly = args.has('--api');
const serveOnly = args.has('--serve');
const scenarios = [];
if (!apiOnly && !serveOnly) {
  scenarios.push({
    name: 'deb',
    file: 'bench/scenarios/deb.ts',
    sizes: quick ? '1000' : args.has('--no-100k') ? '1000,10000' : '1000,10000,100000',
  });
  scenarios.push({ name: 'tlog', file: 'bench/scenarios/tlog.ts', sizes: quick ? '10000' : '100000' });
  scenarios.push({ name: 'sbom', file: 'bench/scenarios/sbom.ts', sizes: quick ? '1000' : '1000,10000' });
  // The rpms are written in-process (bench/lib/rpm-set.ts): no rpmbuild needed.
  scenarios.push({ name: 'rpm', file: 'bench/scenarios/rpm.ts', sizes: quick ? '1000' : '1000,10000' });
}

// Upload bursts and serving go through the built web app and the worker, as under `npm start`.
const webBuild = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=@pallet/web', '--output-logs=errors-only'],
  { cwd: root, stdio: 'inherit' },
);
if (webBuild.status === 0) {
  if (!serveOnly) scenarios.push({ name: 'api', file: 'bench/scenarios/burst.ts', sizes: '' });
  if (!apiOnly) {
    // Serving (issue 10): the origin against nginx, both loaded by wrk.
    ensureDebianPackages(['nginx', 'wrk']);
    scenarios.push({ name: 'serve', file: 'bench/scenarios/serve.ts', sizes: quick ? '1' : '2' });
  }
  if (!apiOnly && !serveOnly) {
    // Issue 10: the long soak through the shipped edge (seconds), and a 1 GiB upload to S3 storage.
    if (has('dnf') && has('rpmbuild')) {
      scenarios.push({ name: 'soak', file: 'bench/scenarios/soak.ts', sizes: quick ? '30' : '120' });
    }
    if (!quick) scenarios.push({ name: 'upload-s3', file: 'bench/scenarios/upload-s3.ts', sizes: '' });
    if (!quick)
      scenarios.push({ name: 'upload-fs', file: 'bench/scenarios/upload-throughput.ts', sizes: '' });
  }
} else console.log('[bench] the web app did not build: skipping the upload bursts and the serving table.');

function runScenario({ name, file, sizes }) {
  return new Promise((resolve) => {
    const figures = [];
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file, sizes], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(RESULT_PREFIX)) return console.log(`[${name}] ${line}`);
      const figure = JSON.parse(line.slice(RESULT_PREFIX.length));
      figures.push(figure);
      if (figure.table === 'serving')
        console.log(
          `[${name}] ${figure.setup} ${figure.file} ${figure.access}: ${Math.round(figure.reqPerSec)} req/s`,
        );
      else console.log(`[${name}] ${figure.scenario}: ${Math.round(figure.ms)} ms`);
    });
    child.on('exit', (code) => resolve({ name, code, figures }));
  });
}

const fmtMs = (ms) => Math.round(ms).toLocaleString('en-US');
const mib = (bytes) => Math.round(bytes / 2 ** 20);
const fmtRss = (f) =>
  f.peakRssBytes
    ? `${mib(f.peakRssBytes)} MiB${f.startRssBytes ? ` (from ${mib(f.startRssBytes)})` : ''}`
    : '';
const fmtRatio = (ms, ref) => `${(ms / ref).toFixed(2)}x`;

function printTable(figures) {
  const rows = [['Scenario', 'Packages', 'Time (ms)', 'Peak RSS', 'Reference', 'Ref. (ms)', 'Ratio']];
  for (const f of figures) {
    const refs = f.references ?? [];
    const first = refs[0];
    rows.push([
      f.scenario,
      f.packages.toLocaleString('en-US'),
      fmtMs(f.ms),
      fmtRss(f),
      first?.name ?? '',
      first ? fmtMs(first.ms) : '',
      first ? fmtRatio(f.ms, first.ms) : '',
    ]);
    for (const r of refs.slice(1)) rows.push(['', '', '', '', r.name, fmtMs(r.ms), fmtRatio(f.ms, r.ms)]);
    if (f.note) rows.push([`  (${f.note})`, '', '', '', '', '', '']);
  }
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.filter((r) => !r[0].startsWith('  (')).map((r) => r[c].length)),
  );
  const right = new Set([1, 2, 3, 5, 6]);
  const line = (r) =>
    r[0].startsWith('  (')
      ? r[0]
      : r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  console.log(`\n${line(rows[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows.slice(1)) console.log(line(r));
}

function printServingTable(figures) {
  if (figures.length === 0) return;
  const rows = [
    [
      'Serving',
      'File',
      'Access',
      'Req/s',
      'Reference',
      'Ref. req/s',
      'Ratio',
      'Target',
      'Tuned req/s',
      'Ratio',
    ],
  ];
  for (const f of figures) {
    const ratio = f.reqPerSec / f.reference.reqPerSec;
    const tuned = f.tunedReference?.reqPerSec;
    rows.push([
      f.setup,
      f.file,
      f.access,
      Math.round(f.reqPerSec).toLocaleString('en-US'),
      f.reference.name,
      Math.round(f.reference.reqPerSec).toLocaleString('en-US'),
      `${(ratio * 100).toFixed(1)} %`,
      f.target ? `>= ${Math.round(f.target * 100)} % ${ratio >= f.target ? 'met' : 'MISSED'}` : '',
      tuned ? Math.round(tuned).toLocaleString('en-US') : '',
      tuned ? `${((f.reqPerSec / tuned) * 100).toFixed(1)} %` : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const right = new Set([3, 5, 6, 8, 9]);
  const line = (r) =>
    r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  console.log(`\n${line(rows[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(
    'Req/s: wrk, 2 threads, 16 connections, keep-alive, Pallet warmed up 4 s per URL, 1 s before each run, median of 3 rounds taken in turns with nginx; Ratio = Pallet / nginx serving the ' +
      'same bytes from disk in the same run (sendfile, one worker per CPU). Private rows send the read token ' +
      'as the HTTP Basic password on every request. Tuned = nginx with open_file_cache (descriptors kept ' +
      'open, as the shipped edge keeps its own), measured in the same rounds.',
  );
}

const started = Date.now();
const before = loadavg()[0];
const results = [];
for (const s of scenarios) results.push(await runScenario(s));

console.log(
  `\nPallet publication benchmark: ${cpus().length} CPUs, load average ${before.toFixed(1)} at start and ` +
    `${loadavg()[0].toFixed(1)} at the end, ${Math.round((Date.now() - started) / 1000)} s in all.`,
);
console.log(
  'Time of a Pallet figure = publishDistribution (and ingestPackage for an added package): the worker time; ' +
    'for "api:" rows, wall time from an upload\'s HTTP answer until the served index lists it. ' +
    "Ratio = Pallet / reference (below 1 = faster). Peak RSS = the process's peak resident memory during " +
    'the step (kernel VmHWM, reset when the step starts); "from" = its resident memory at that moment.',
);
const all = results.flatMap((r) => r.figures);
if (!serveOnly) printTable(all.filter((f) => f.table !== 'serving'));
printServingTable(all.filter((f) => f.table === 'serving'));
const failed = results.filter((r) => r.code !== 0);
for (const f of failed) console.error(`[bench] scenario ${f.name} failed (exit code ${f.code})`);
process.exit(failed.length ? 1 : 0);
