// Bundles the worker (src/main.ts -> dist/main.mjs) ahead of time, so that `npm start` and the
// end-to-end harness start it with plain node instead of transpiling it with tsx at every start
// (scripts/lib/bundle-node.mjs says what is bundled in and what stays in node_modules).
import { join } from 'node:path';
import { bundleForNode } from '../../../scripts/lib/bundle-node.mjs';

await bundleForNode(join(import.meta.dirname, '..'), { main: 'src/main.ts' });
