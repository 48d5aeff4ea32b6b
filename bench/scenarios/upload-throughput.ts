// Upload throughput (issue 15): a 1 GiB .deb over HTTP to an instance on filesystem storage, from the
// first byte sent to the 202, beside the floor every upload pays (MD5, SHA-1, SHA-256 and SHA-512 over
// the same bytes in one pass, measured here in one process) and the 150 MB/s goal. The sender
// is this process (@pallet/api-client's uploadPackage, as the CLI sends): on a 2-core machine its CPU
// competes with the server's, so the note gives both, and the web process's peak RSS during the upload.
// One small upload goes first and is not measured: the front's first upload pays one-time start-up work
// (Prisma compiles its query engine on the front's first query, about a second of CPU on other threads).
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { startPallet } from '../../e2e/support/server';
import { bigDeb } from '../lib/big-deb';
import { cpuMs, peakRssDuring, pidListeningOn } from '../lib/process-rss';
import { report } from '../lib/report';
import { buildSyntheticDeb } from '../lib/synthetic-deb';

const deb = bigDeb();
const size = statSync(deb).size;
const mbps = (ms: number) => (size / 1e6 / (ms / 1000)).toFixed(0);

async function fourDigests(): Promise<number> {
  const hashes = ['md5', 'sha1', 'sha256', 'sha512'].map((a) => createHash(a));
  const started = performance.now();
  for await (const chunk of createReadStream(deb, { highWaterMark: 1 << 20 })) {
    for (const h of hashes) h.update(chunk as Buffer);
  }
  for (const h of hashes) h.digest();
  return performance.now() - started;
}

const pallet = await startPallet('bench_upload_fs', { PALLET_MAX_UPLOAD_BYTES: String(2 * size) });
try {
  const api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('bench@throughput.test', 'bench throughput password 1', 'bench');
  const authed = api.withToken(signup.token);
  await authed.createRepository('bench', { name: 'big', visibility: 'public' });
  const warmDir = mkdtempSync(join(tmpdir(), 'pallet-bench-warm-'));
  const warm = buildSyntheticDeb(0, 'warm');
  writeFileSync(join(warmDir, 'warm.deb'), warm.bytes);
  await authed.uploadPackage('bench', 'big', join(warmDir, 'warm.deb'), { distribution: 'debian/bookworm' });
  rmSync(warmDir, { recursive: true, force: true });
  const floor = await fourDigests();
  const web = pidListeningOn(Number(new URL(pallet.baseUrl).port));
  const cpuBefore = cpuMs(web);
  const clientBefore = process.cpuUsage();
  const {
    result: res,
    ms,
    peakRssBytes,
    startRssBytes,
  } = await peakRssDuring(web, () =>
    authed.uploadPackage('bench', 'big', deb, { distribution: 'debian/bookworm' }),
  );
  const webCpu = (cpuMs(web) - cpuBefore) / 1000;
  const client = process.cpuUsage(clientBefore);
  const clientCpu = (client.user + client.system) / 1e6;
  if (res.status !== 202) throw new Error(`upload answered ${res.status}`);
  report({
    scenario: `upload ${(size / 1024 ** 3).toFixed(2)} GiB .deb over HTTP to filesystem storage (first byte → 202)`,
    packages: 1,
    ms,
    peakRssBytes,
    startRssBytes,
    references: [
      { name: 'issue 15 goal: 150 MB/s', ms: (size / 150e6) * 1000 },
      {
        name: 'the floor: MD5 + SHA-1 + SHA-256 + SHA-512 over the same bytes, one process (measured here)',
        ms: floor,
      },
    ],
    note: `${mbps(ms)} MB/s; the four digests alone ${mbps(floor)} MB/s; web process CPU ${webCpu.toFixed(1)} s (all threads), sender CPU ${clientCpu.toFixed(1)} s; load average ${(loadavg()[0] ?? 0).toFixed(1)}`,
  });
} finally {
  await pallet.stop();
}
