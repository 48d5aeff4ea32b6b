// Bundles a process's entry points ahead of time (esbuild), so that they start with plain node: no tsx,
// no TypeScript compiler in memory, no per-start transpiling. Workspace packages (@pallet/*, TypeScript
// sources) and the app's own `@/` imports are bundled in; everything from npm stays an import from
// node_modules (argon2's native module, Prisma's wasm query compiler, the AWS SDK, next, bullmq).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bare imports of npm packages stay external; @pallet/*, `@/` and relative imports are bundled. An external
 * package that nothing kept in the bundle uses is not imported at all (`sideEffects: false`): a process
 * bundles all of @pallet/core's index but runs a few of its services, and an unused `import` statement
 * would still load its package at start (the front carried the CloudFront client that way). So no npm
 * package may be imported for its side effects alone (`import 'pkg'` is dropped).
 */
const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@pallet/') || args.path.startsWith('@/')) return undefined;
      // JSON data (spdx-license-ids) is bundled: an external JSON import would need its attribute kept.
      if (args.path.endsWith('.json')) return undefined;
      return { path: args.path, external: true, sideEffects: false };
    });
  },
};

/**
 * Replaces `<dir>/dist` with one `<name>.mjs` (and its source map) per entry point.
 * @param {string} dir the app's directory (its tsconfig.json is used)
 * @param {Record<string, string>} entryPoints output name -> source file, relative to dir
 */
export async function bundleForNode(dir, entryPoints) {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: dir,
    entryPoints,
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
}
