// Uploading a 1 GiB package over HTTP to an instance on S3 storage (s3rver in its own process): the
// web process must stay under 150 MiB RSS (issue 10), i.e. the upload streams to S3 in parts and is
// never buffered. RSS is sampled from /proc every 50 ms during the upload.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { startPallet } from '../../e2e/support/server';
import { peakRssDuring, pidListeningOn } from '../lib/process-rss';
import { report } from '../lib/report';

const GIB = 1024 ** 3;
const TARGET_BYTES = 150 * 1024 ** 2;
const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);

/** A .deb of just over 1 GiB (incompressible data, stored uncompressed), built once and kept in tmp. */
function bigDeb(): string {
  const dir = join(tmpdir(), 'pallet-bench-1gib');
  const out = join(dir, 'bench-big_1.0-1_all.deb');
  if (existsSync(out) && statSync(out).size > GIB) return out;
  const root = join(dir, 'root');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/bench-big'), { recursive: true });
  execFileSync('sh', [
    '-c',
    `printf 'Package: bench-big\\nVersion: 1.0-1\\nArchitecture: all\\nMaintainer: Bench <b@pallet.invalid>\\nDescription: 1 GiB\\n' > ${root}/DEBIAN/control`,
  ]);
  const fd = openSync(join(root, 'usr/share/bench-big/blob'), 'w');
  const chunk = Buffer.alloc(16 * 1024 ** 2);
  for (let written = 0; written < GIB; written += chunk.length) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Znone', '--build', root, out], { stdio: 'ignore' });
  // Keep only the .deb: the 1 GiB tree it was built from is not needed again.
  rmSync(root, { recursive: true, force: true });
  return out;
}

process.env.PALLET_E2E_STORAGE = 's3';
const deb = bigDeb();
const pallet = await startPallet('bench_upload_s3', { PALLET_MAX_UPLOAD_BYTES: String(2 * GIB) });
try {
  const api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('bench@upload.test', 'bench upload password 1', 'bench');
  const authed = api.withToken(signup.token);
  await authed.createRepository('bench', { name: 'big', visibility: 'public' });
  const pid = pidListeningOn(Number(new URL(pallet.baseUrl).port));
  const measured = await peakRssDuring(pid, () =>
    authed.uploadPackage('bench', 'big', deb, { distribution: 'debian/bookworm' }),
  );
  if (measured.result.status !== 202) throw new Error(`upload answered ${measured.result.status}`);
  report({
    scenario: `upload ${(statSync(deb).size / GIB).toFixed(2)} GiB .deb over HTTP to S3 (web process)`,
    packages: 1,
    ms: measured.ms,
    peakRssBytes: measured.peakRssBytes,
    startRssBytes: measured.startRssBytes,
    note:
      `web process ${mib(measured.startRssBytes)} MiB before, peak ${mib(measured.peakRssBytes)} MiB ` +
      `(+${mib(measured.peakRssBytes - measured.startRssBytes)} MiB for the upload): ` +
      `${measured.peakRssBytes < TARGET_BYTES ? 'under' : 'OVER'} the 150 MiB target`,
  });
} finally {
  await pallet.stop();
}
