// Bundles the CLI and the workspace packages it uses into one dependency-free file, dist/pallet.js,
// which is what the published package ships (`bin`). Run by `npm run build` and before `npm pack`.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const outfile = new URL('./dist/pallet.js', import.meta.url).pathname;
await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
