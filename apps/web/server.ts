// The web process: one node:http server on PORT. Repository files (/dl) and the edge's auth hook are
// answered here directly (src/origin), everything else goes to Next.js. `npm start` and the e2e harness
// run this file with tsx; `next start` would serve /dl through nothing (see docs/architecture.md).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { createCoreContext, DownloadCache, DownloadRecorder, palletMetrics } from '@pallet/core';
import { listenForNotifications } from '@pallet/db';
import next from 'next';
import { refuseBadRequestTarget } from './src/lib/edge-request-target';
import { stampPeerAddress } from './src/lib/peer-address';
import { loadRouteLabeler } from './src/metrics/route-label';
import { serveMetrics } from './src/metrics/serve-metrics';
import { BlobMemoryCache } from './src/origin/blob-memory-cache';
import {
  handleDownload,
  handleEdgeAuth,
  handleEdgeClientCas,
  type OriginContext,
} from './src/origin/handle-repository-request';

/** In-flight requests get this long after SIGTERM before their sockets are closed. */
const SHUTDOWN_GRACE_MS = 3000;

let stopping = false;
const metrics = palletMetrics('web');
const config = loadConfig();
const core = createCoreContext(config);
const cache = new DownloadCache();
const listener = listenForNotifications(config.databaseUrl, 'pallet_serving', {
  onMessage: (payload) => cache.invalidate(payload),
  onState: (live) => {
    cache.setLive(live);
    if (!live && !stopping) core.log.warn('serving cache off: the notification connection is down');
  },
  onError: (err) => core.log.warn({ err: err.message }, 'serving notification connection lost'),
});
// Download counts and token access logs: counted in memory, written every PALLET_STATS_FLUSH_MS and at shutdown.
const recorder = new DownloadRecorder(core);
recorder.start(config.statsFlushMs);
const origin: OriginContext = {
  core,
  cache,
  recorder,
  storage: core.storage,
  blobs: new BlobMemoryCache(core.storage, config.serveMemoryBytes),
  alwaysHttps: config.appUrl.startsWith('https://'),
};

const hostname = config.listenHost;
// `npm run dev -w @pallet/web` passes --dev: Next compiles pages on demand; /dl is the same either way.
const app = next({ dev: process.argv.includes('--dev'), dir: import.meta.dirname, port: config.port });
const handleNext = app.getRequestHandler();

const routeLabel = loadRouteLabeler(join(import.meta.dirname, '.next'));
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts every answer by route pattern and status once it has been sent. */
function countRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const path = req.url ?? '/';
  res.once('finish', () => {
    const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
    const route = routeLabel(path);
    metrics.httpRequests.inc({ method, route, status: String(res.statusCode) });
    metrics.httpSeconds.observe({ method, route }, (performance.now() - started) / 1000);
  });
}

function isDownload(url: string): boolean {
  return url.startsWith('/dl/') || url === '/dl' || url.startsWith('/dl?');
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  // Client-IP logic starts from the TCP peer; a client-sent x-pallet-peer is overwritten.
  stampPeerAddress(req);
  countRequest(req, res);
  // Malformed escapes and NULs in any URL are answered here, before /dl, the edge hook or Next.js.
  if (refuseBadRequestTarget(req, res)) return;
  const url = req.url ?? '/';
  if (isDownload(url)) void handleDownload(origin, req, res);
  else if (url === '/metrics' || url.startsWith('/metrics?')) void serveMetrics(core, req, res);
  else if (url === '/_pallet/edge-auth' || url.startsWith('/_pallet/edge-auth?'))
    void handleEdgeAuth(origin, req, res);
  else if (url === '/_pallet/edge-client-cas') void handleEdgeClientCas(origin, req, res);
  else void handleNext(req, res);
});

// Clients and proxies close idle keep-alive connections first (undici after 4 s, nginx after 60 s), so a
// reused connection is never one the server is closing at that moment.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

await app.prepare();
server.listen(config.port, hostname, () => {
  core.log.info({ port: config.port }, 'web server listening');
  console.log(`[pallet] web listening on ${hostname ?? '*'}:${config.port}`);
});

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[pallet] web stopping (${signal})`);
  // Stop accepting; idle keep-alive sockets close now, busy ones after the grace period.
  server.close();
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  const hardExit = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 2000);
  hardExit.unref();
  await new Promise<void>((resolve) => server.once('close', () => resolve()));
  clearTimeout(force);
  await recorder.stop().catch(() => undefined);
  await Promise.allSettled([listener.close(), core.queues.close(), core.db.$disconnect()]);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
