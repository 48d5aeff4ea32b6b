// Upload throughput (issue 15): a 1 GiB .deb over HTTP to an instance on filesystem storage, from the
// first byte sent to the 202, beside the floor every upload pays (MD5, SHA-1, SHA-256 and SHA-512 over
// the same bytes in one pass, measured here in one process) and the 150 MB/s goal.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PalletClient } from '@pallet/api-client';
import { startPallet } from '../../e2e/support/server';
import { bigDeb } from '../lib/big-deb';
import { cpuMs, pidListeningOn } from '../lib/process-rss';
import { report } from '../lib/report';

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
  const floor = await fourDigests();
  const web = pidListeningOn(Number(new URL(pallet.baseUrl).port));
  const cpuBefore = cpuMs(web);
  const started = performance.now();
  const res = await authed.uploadPackage('bench', 'big', deb, { distribution: 'debian/bookworm' });
  const ms = performance.now() - started;
  const webCpu = (cpuMs(web) - cpuBefore) / 1000;
  if (res.status !== 202) throw new Error(`upload answered ${res.status}`);
  report({
    scenario: `upload ${(size / 1024 ** 3).toFixed(2)} GiB .deb over HTTP to filesystem storage (first byte → 202)`,
    packages: 1,
    ms,
    references: [
      { name: 'issue 15 goal: 150 MB/s', ms: (size / 150e6) * 1000 },
      {
        name: 'the floor: MD5 + SHA-1 + SHA-256 + SHA-512 over the same bytes, one process (measured here)',
        ms: floor,
      },
    ],
    note: `${mbps(ms)} MB/s; the four digests alone ${mbps(floor)} MB/s; web process CPU ${webCpu.toFixed(1)} s; load average ${(loadavg()[0] ?? 0).toFixed(1)}`,
  });
} finally {
  await pallet.stop();
}
