// `npm run edge`: the shipped nginx edge (deploy/nginx/) in front of the instance that PORT names,
// listening on EDGE_PORT (default 8080). Runs in the foreground; Ctrl-C stops it.
import { join } from 'node:path';
import { EDGE_PACKAGES, startEdge } from './lib/edge.mjs';
import { ensureDebianPackages, root } from './lib/setup.mjs';

ensureDebianPackages(EDGE_PACKAGES);
const env = process.env;
const origin = env.EDGE_ORIGIN ?? `127.0.0.1:${env.PORT ?? '3000'}`;
const edge = await startEdge({
  origin,
  listen: env.EDGE_PORT ?? '8080',
  dir: env.EDGE_DIR ?? join(env.PALLET_DATA_DIR ?? join(root, 'var'), 'edge'),
  ttlRelease: env.EDGE_TTL_RELEASE,
  ttlIndex: env.EDGE_TTL_INDEX,
  ttlImmutable: env.EDGE_TTL_IMMUTABLE,
  authTtl: env.EDGE_AUTH_TTL,
  cacheMaxSize: env.EDGE_CACHE_MAX_SIZE,
  workers: env.EDGE_WORKERS,
  accessLog: env.EDGE_ACCESS_LOG === '1',
  stdio: 'inherit',
});
console.log(`[edge] nginx on port ${env.EDGE_PORT ?? '8080'} in front of ${origin}. Ctrl-C stops it.`);
const stop = () => edge.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const code = await edge.exited;
process.exit(typeof code === 'number' ? code : 1);
