// The Next.js child of the front process (src/front/main.ts): pages, the REST API but uploads, next-auth
// and static assets, on a unix socket in a 0700 directory that only the front reaches. Started by the
// front with an IPC channel: it reports `ready` once listening, answers `metrics` requests with its
// registry (the front adds it to /metrics), and exits when the front goes away.
import { chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { BEHIND_FRONT_ENV, stampPeerAddress } from '../lib/peer-address';
import { type ChildMessage, type FrontMessage, NEXT_SOCKET_ENV, WEB_DIR_ENV } from './child-protocol';

const SHUTDOWN_GRACE_MS = 3000;

const socketPath = process.env[NEXT_SOCKET_ENV];
if (!socketPath || !process.send) {
  console.error('[pallet] next-child: started without the front (no socket path or IPC channel)');
  process.exit(2);
}
process.env[BEHIND_FRONT_ENV] = '1';
const send = (message: ChildMessage) => process.send?.(message);

// apps/web: dist/next-child.mjs and src/front/next-child.ts both find it from their own place.
const here = dirname(fileURLToPath(import.meta.url));
const dir = process.env[WEB_DIR_ENV] ?? (here.endsWith('dist') ? join(here, '..') : join(here, '..', '..'));
const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: process.argv.includes('--dev'), dir, port });
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  // The front stamped the client's address; a request that reached this socket came through it.
  stampPeerAddress(req);
  void handle(req, res);
});
// Longer than the front's pooled connections stay idle, so the front never reuses one being closed here.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;

type Registry = { getMetricsAsJSON(): Promise<unknown> };
/** The registry Next's copy of core keeps on globalThis (see core's pallet-metrics.ts), if used yet. */
function registry(): Registry | undefined {
  return (globalThis as Record<symbol, { registry?: Registry } | undefined>)[Symbol.for('pallet.metrics')]
    ?.registry;
}

process.on('message', (message: FrontMessage) => {
  if (message?.type !== 'metrics') return;
  const reg = registry();
  const reply = (snapshot: unknown) => send({ type: 'metrics', id: message.id, snapshot });
  if (!reg) reply(null);
  else reg.getMetricsAsJSON().then(reply, () => reply(null));
});

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(code));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS + 1000).unref();
}
// The front stops this process (SIGTERM to the group, or the IPC channel closing when the front dies).
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
process.on('disconnect', () => {
  // The front is gone (killed outright): its socket directory is left to this process to remove.
  rmSync(dirname(socketPath), { recursive: true, force: true });
  stop(0);
});

await app.prepare();
// Next's dev server (hot reload) takes websocket upgrades itself.
const upgrade = app.getUpgradeHandler();
server.on('upgrade', (req, socket, head) => {
  stampPeerAddress(req);
  void upgrade(req, socket, head);
});
server.listen(socketPath, () => {
  chmodSync(socketPath, 0o600);
  send({ type: 'ready' });
});
