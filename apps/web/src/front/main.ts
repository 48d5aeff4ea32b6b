// The web process: a lean front on PORT (node:http, no Next.js, no React) and Next.js in a child process
// it starts and supervises. The front answers repository files (/dl), the edge's hooks, /metrics and the
// package upload itself, and streams everything else (pages, the rest of the API, next-auth, assets) to
// the child over a private unix socket (proxy.ts). `npm start` and the e2e harness run the bundle
// (dist/front.mjs, built by scripts/build-front.mjs) with plain node; `npm run dev` runs this file with
// tsx and `--dev`. See docs/architecture.md, "Request paths".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DownloadCache, DownloadRecorder, palletMetrics } from '@pallet/core';
import { listenForNotifications } from '@pallet/db';
import { getCore } from '../lib/core';
import { refuseBadRequestTarget } from '../lib/edge-request-target';
import { PEER_HEADER, stampPeerAddress } from '../lib/peer-address';
import { loadRouteLabeler } from '../metrics/route-label';
import { serveMetrics } from '../metrics/serve-metrics';
import { AnswerCache } from '../origin/answer-cache';
import { BlobMemoryCache } from '../origin/blob-memory-cache';
import {
  answerFromCache,
  handleDownload,
  handleEdgeAuth,
  handleEdgeClientCas,
  type OriginContext,
} from '../origin/handle-repository-request';
import { matchAppRoute, serveAppRoute } from './app-route';
import { startNextChild } from './next-process';
import { proxyRequest, proxyUpgrade } from './proxy';

/** In-flight requests get this long after SIGTERM before their sockets are closed. */
const SHUTDOWN_GRACE_MS = 3000;

let stopping = false;
const metrics = palletMetrics('web');
// The same CoreContext the route modules the front runs (the upload) get from getCore().
const core = getCore();
const config = core.config;
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
const blobs = new BlobMemoryCache(core.storage, config.serveMemoryBytes);
const origin: OriginContext = {
  core,
  cache,
  recorder,
  storage: core.storage,
  blobs,
  answers: new AnswerCache(cache, blobs),
  alwaysHttps: config.appUrl.startsWith('https://'),
};
const appOrigin = new URL(config.appUrl).origin;

const dev = process.argv.includes('--dev');
const nextChild = startNextChild({
  dev,
  log: (line) => {
    console.log(line);
    core.log.warn(line);
  },
  onFatal: (reason) => {
    console.error(`[pallet] web: ${reason}; stopping`);
    void shutdown('fatal', 1);
  },
});

const webDir = join(import.meta.dirname, import.meta.filename.endsWith('.mjs') ? '..' : '../..');
const routeLabel = loadRouteLabeler(join(webDir, '.next'));
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts one answer by method, route pattern and status, timed from `started`. */
function countAnswer(method: string, route: string, status: number, started: number): void {
  metrics.httpRequests.inc({ method, route, status: String(status) });
  metrics.httpSeconds.observe({ method, route }, (performance.now() - started) / 1000);
}

/** Counts every answer by route pattern and status once it has been sent. */
function countRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const path = req.url ?? '/';
  res.once('finish', () => {
    const method = METHODS.has(req.method ?? '') ? req.method! : 'other';
    countAnswer(method, routeLabel(path), res.statusCode, started);
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A change made through the child (a token revoked, a repository made private, a member removed) reaches
 * this process's serving cache by NOTIFY, which can arrive after the child's answer has reached the
 * client. So the cache is dropped when a state-changing request's answer comes back, before the client
 * sees it: the very next request after "revoked" is checked against the database. (A /dl check that read
 * the token before the change cannot re-cache it: the cache's token epoch moves on with the drop.)
 */
function proxyOptions(req: IncomingMessage) {
  return SAFE_METHODS.has(req.method ?? 'GET') ? {} : { beforeAnswer: () => cache.clear() };
}

function isDownload(url: string): boolean {
  return url.startsWith('/dl/') || url === '/dl' || url.startsWith('/dl?');
}

/** The child's registry joins the front's on /metrics (both carry process="web"). */
const childMetrics = async () => {
  const snapshot = await nextChild.metrics();
  return snapshot ? [snapshot] : [];
};

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  // Client-IP logic starts from the TCP peer; a client-sent x-pallet-peer is overwritten.
  stampPeerAddress(req);
  // A repeat /dl request answered whole from the answer cache, synchronously (its target passed the
  // checks below when the answer was made: the key is the raw target). Counted as it is sent.
  if (isDownload(req.url ?? '/')) {
    const started = performance.now();
    if (answerFromCache(origin, req, res)) {
      countAnswer('GET', '/dl', 200, started);
      return;
    }
  }
  countRequest(req, res);
  // Malformed escapes and NULs in any URL are answered here, before /dl, the edge hook or Next.js.
  if (refuseBadRequestTarget(req, res)) return;
  const url = req.url ?? '/';
  if (isDownload(url)) void handleDownload(origin, req, res);
  else if (url === '/metrics' || url.startsWith('/metrics?')) void serveMetrics(core, req, res, childMetrics);
  else if (url === '/_pallet/edge-auth' || url.startsWith('/_pallet/edge-auth?'))
    void handleEdgeAuth(origin, req, res);
  else if (url === '/_pallet/edge-client-cas') void handleEdgeClientCas(origin, req, res);
  else {
    const own = matchAppRoute(req);
    if (own)
      void serveAppRoute(own, req, res, {
        appOrigin,
        alwaysHttps: origin.alwaysHttps,
        paceCollections: core.storage.kind === 's3',
      });
    else proxyRequest(nextChild.upstream(), req, res, PEER_HEADER, proxyOptions(req));
  }
});
server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
  stampPeerAddress(req);
  proxyUpgrade(nextChild.upstream(), req, socket, head, PEER_HEADER);
});

// Clients and proxies close idle keep-alive connections first (undici after 4 s, nginx after 60 s), so a
// reused connection is never one the server is closing at that moment.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

const hostname = config.listenHost;
await nextChild.ready;
if (!stopping) {
  server.listen(config.port, hostname, () => {
    core.log.info({ port: config.port, nextPid: nextChild.pid() }, 'web server listening');
    console.log(`[pallet] web listening on ${hostname ?? '*'}:${config.port}`);
  });
}

async function shutdown(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[pallet] web stopping (${signal})`);
  // Stop accepting; idle keep-alive sockets close now, busy ones after the grace period. The Next.js
  // child finishes what it was given in the same time.
  const childStopped = nextChild.stop(SHUTDOWN_GRACE_MS + 1000);
  const hardExit = setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS + 2000);
  hardExit.unref();
  if (server.listening) {
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await new Promise<void>((resolve) => server.once('close', () => resolve()));
    clearTimeout(force);
  }
  await recorder.stop().catch(() => undefined);
  await Promise.allSettled([childStopped, listener.close(), core.queues.close(), core.db.$disconnect()]);
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
