// `npm run fuzz`: the upload mutation fuzz at full size (10,000 mutants by default) against a freshly
// started server, printing the tally. PALLET_FUZZ_SEED reproduces a run; PALLET_FUZZ_MUTANTS resizes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { startPallet } from './support/server';
import { buildFuzzSeeds, formatTally, runFuzz } from './support/upload-fuzz';

const seed = Number(process.env.PALLET_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const count = Number(process.env.PALLET_FUZZ_MUTANTS ?? 10_000);
const concurrency = Number(process.env.PALLET_FUZZ_CONCURRENCY ?? 4);

console.log(`fuzz: ${count} mutants, seed ${seed} (PALLET_FUZZ_SEED=${seed} reproduces this run)`);
const pallet = await startPallet('fuzz');
const work = mkdtempSync(join(tmpdir(), 'pallet-fuzz-'));
let exitCode = 1;
try {
  const api = new PalletClient(pallet.baseUrl);
  const { token } = await api.signup('owner@fuzz.test', 'correct horse battery staple', 'fuzz');
  await api.withToken(token).createRepository('fuzz', { name: 'main', visibility: 'public' });
  const started = Date.now();
  const tally = await runFuzz({
    uploadsUrl: `${pallet.baseUrl}/api/v1/orgs/fuzz/repos/main/packages`,
    token,
    seeds: buildFuzzSeeds(work),
    seed,
    count,
    concurrency,
    timeoutMs: 30_000,
    onProgress: (done) => {
      if (done % 500 === 0)
        console.log(`fuzz: ${done}/${count} in ${Math.round((Date.now() - started) / 1000)} s`);
    },
  });
  const health = await fetch(`${pallet.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(5000) });
  console.log(formatTally(tally));
  console.log(`server health after the run: ${health.status}`);
  exitCode = tally.findings.length === 0 && health.status === 200 ? 0 : 1;
} finally {
  await pallet.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
