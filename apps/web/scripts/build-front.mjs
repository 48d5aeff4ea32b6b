// Bundles the front process (src/front/main.ts -> dist/front.mjs) and the Next.js child's entry
// (src/front/next-child.ts -> dist/next-child.mjs) ahead of time, so that both start with plain node
// (scripts/lib/bundle-node.mjs says what is bundled in and what stays in node_modules).
import { join } from 'node:path';
import { bundleForNode } from '../../../scripts/lib/bundle-node.mjs';

await bundleForNode(join(import.meta.dirname, '..'), {
  front: 'src/front/main.ts',
  'next-child': 'src/front/next-child.ts',
});
