// `npm run edge`: the shipped nginx edge (deploy/nginx/) in front of the instance that PORT names,
// listening on EDGE_PORT (default 8080). Runs in the foreground; Ctrl-C stops it.

import { hostname } from 'node:os';
import { join } from 'node:path';
import { EDGE_PACKAGES, startEdge } from './lib/edge.mjs';
import { readCertificateState } from './lib/edge-tls.mjs';
import { ensureDebianPackages, root } from './lib/setup.mjs';

ensureDebianPackages(EDGE_PACKAGES);
const env = process.env;
const origin = env.EDGE_ORIGIN ?? `127.0.0.1:${env.PORT ?? '3000'}`;
const edgeDir = env.EDGE_DIR ?? join(env.PALLET_DATA_DIR ?? join(root, 'var'), 'edge');
// TLS by default (EDGE_TLS=off for plain http behind a TLS-terminating balancer, or for measuring).
const tlsOn = (env.EDGE_TLS ?? 'on') !== 'off';
const hostnames = (env.EDGE_HOSTNAMES ?? `localhost,127.0.0.1,${hostname()}`)
  .split(',')
  .map((h) => h.trim())
  .filter(Boolean);
const edge = await startEdge({
  origin,
  listen: env.EDGE_PORT ?? '8080',
  tlsListen: tlsOn ? (env.EDGE_TLS_PORT ?? '8443') : undefined,
  hostnames,
  acmeDirectory: env.PALLET_ACME_DIRECTORY || undefined,
  acmeEmail: env.PALLET_ACME_EMAIL || undefined,
  acmeCaFile: env.PALLET_ACME_CA_FILE || undefined,
  dir: edgeDir,
  ttlRelease: env.EDGE_TTL_RELEASE,
  ttlIndex: env.EDGE_TTL_INDEX,
  ttlImmutable: env.EDGE_TTL_IMMUTABLE,
  authTtl: env.EDGE_AUTH_TTL,
  cacheMaxSize: env.EDGE_CACHE_MAX_SIZE,
  workers: env.EDGE_WORKERS,
  accessLog: env.EDGE_ACCESS_LOG === '1',
  stdio: 'inherit',
});
if (edge.httpsUrl) {
  const state = readCertificateState(edgeDir);
  console.log(
    `[edge] https on port ${env.EDGE_TLS_PORT ?? '8443'} (certificate: ${state?.source}, for ${hostnames.join(', ')}, ` +
      `valid until ${state?.notAfter}); http on port ${env.EDGE_PORT ?? '8080'} redirects to it.`,
  );
  if (state?.source === 'local-ca')
    console.log(`[edge] clients trust it with the local CA: ${join(edgeDir, 'ca.pem')}`);
} else {
  console.log(`[edge] nginx on port ${env.EDGE_PORT ?? '8080'} (plain http) in front of ${origin}.`);
}
console.log('[edge] Ctrl-C stops it.');
const stop = () => edge.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const code = await edge.exited;
process.exit(typeof code === 'number' ? code : 1);
