// Bundles the front process (src/front/main.ts -> dist/front.mjs) and the Next.js child's entry
// (src/front/next-child.ts -> dist/next-child.mjs) ahead of time, so that both start with plain node (no
// tsx, no TypeScript compiler in memory). Workspace packages (@pallet/*, TypeScript sources) are bundled
// in; everything from npm stays an import from node_modules (argon2's native module, Prisma's wasm
// query compiler, the AWS SDK, next itself for the child).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const web = join(import.meta.dirname, '..');

/** Bare imports of npm packages stay external; @pallet/* and relative imports are bundled. */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@pallet/') || args.path.startsWith('@/')) return undefined;
      // JSON data (spdx-license-ids) is bundled: an external JSON import would need its attribute kept.
      if (args.path.endsWith('.json')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

rmSync(join(web, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: web,
  entryPoints: { front: 'src/front/main.ts', 'next-child': 'src/front/next-child.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  tsconfig: 'tsconfig.json',
  plugins: [externalNpm],
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
});
