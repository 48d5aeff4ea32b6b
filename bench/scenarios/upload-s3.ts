// Uploading a 1 GiB package over HTTP to an instance on S3 storage (s3rver in its own process): the
// web process must stay under 150 MiB RSS (issue 10), i.e. the upload streams to S3 in parts and is
// never buffered. The web process is the front listening on PORT (it answers uploads itself); its
// Next.js child's RSS is reported beside it, before and after (the upload must not touch it). RSS is
// sampled from /proc every 50 ms during the upload.
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { PalletClient } from '@pallet/api-client';
import { startPallet } from '../../e2e/support/server';
import { bigDeb, GIB } from '../lib/big-deb';
import { childPids, peakRssDuring, pidListeningOn, rssBytes } from '../lib/process-rss';
import { report } from '../lib/report';

const TARGET_BYTES = 150 * 1024 ** 2;
const mib = (bytes: number) => Math.round(bytes / 1024 ** 2);

process.env.PALLET_E2E_STORAGE = 's3';
const deb = bigDeb();
const pallet = await startPallet('bench_upload_s3', { PALLET_MAX_UPLOAD_BYTES: String(2 * GIB) });
try {
  const api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('bench@upload.test', 'bench upload password 1', 'bench');
  const authed = api.withToken(signup.token);
  await authed.createRepository('bench', { name: 'big', visibility: 'public' });
  const pid = pidListeningOn(Number(new URL(pallet.baseUrl).port));
  const next = childPids(pid)[0];
  const nextBefore = next ? rssBytes(next) : 0;
  const measured = await peakRssDuring(pid, () =>
    authed.uploadPackage('bench', 'big', deb, { distribution: 'debian/bookworm' }),
  );
  if (measured.result.status !== 202) throw new Error(`upload answered ${measured.result.status}`);
  const nextAfter = next ? rssBytes(next) : 0;
  report({
    scenario: `upload ${(statSync(deb).size / GIB).toFixed(2)} GiB .deb over HTTP to S3 (web process)`,
    packages: 1,
    ms: measured.ms,
    peakRssBytes: measured.peakRssBytes,
    startRssBytes: measured.startRssBytes,
    note:
      `web process ${mib(measured.startRssBytes)} MiB before, peak ${mib(measured.peakRssBytes)} MiB ` +
      `(+${mib(measured.peakRssBytes - measured.startRssBytes)} MiB for the upload): ` +
      `${measured.peakRssBytes < TARGET_BYTES ? 'under' : 'OVER'} the 150 MiB target; ` +
      (next
        ? `Next.js child ${mib(nextBefore)} MiB before, ${mib(nextAfter)} MiB after`
        : 'no Next.js child found') +
      `; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  });
} finally {
  await pallet.stop();
}
