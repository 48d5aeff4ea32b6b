// Starts and supervises the front's Next.js child (next-child.ts): on a unix socket in a fresh 0700
// directory, with an IPC channel. A child that never gets ready is fatal (the front exits loudly, as a
// missing build would have made the single process fail); one that dies later is restarted with growing
// pauses, and requests meanwhile get a 503.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildMessage, type FrontMessage, NEXT_SOCKET_ENV, WEB_DIR_ENV } from './child-protocol';
import type { Upstream } from './proxy';

const MAX_BACKOFF_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;
const METRICS_TIMEOUT_MS = 2000;

export interface NextChild {
  /** Where to send requests; null while the child is (re)starting. */
  upstream(): Upstream | null;
  /** Resolves when the first child is ready to answer. */
  ready: Promise<void>;
  pid(): number | undefined;
  /** The child's metrics registry as JSON (prom-client's getMetricsAsJSON), or null. */
  metrics(): Promise<unknown>;
  stop(graceMs: number): Promise<void>;
}

export interface NextChildOptions {
  dev: boolean;
  log: (line: string) => void;
  /** Called when the child cannot be started at all: the front should exit. */
  onFatal: (reason: string) => void;
}

/** The child's entry next to this code: dist/next-child.mjs when bundled, else the TypeScript source. */
function childCommand(dev: boolean): { args: string[]; webDir: string } {
  const here = fileURLToPath(import.meta.url);
  const bundled = here.endsWith('.mjs');
  const dir = dirname(here);
  const webDir = bundled ? join(dir, '..') : join(dir, '..', '..');
  const entry = bundled ? join(dir, 'next-child.mjs') : join(dir, 'next-child.ts');
  const args = [...(bundled ? [] : ['--import', 'tsx']), entry, ...(dev ? ['--dev'] : [])];
  return { args, webDir };
}

export function startNextChild(opts: NextChildOptions): NextChild {
  // mkdtemp creates the directory 0700: nobody but this user reaches the socket inside.
  const socketDir = mkdtempSync(join(process.env.PALLET_SOCKET_DIR ?? tmpdir(), 'pallet-web-'));
  // However the front ends (a hard exit after the grace period included), the directory goes with it.
  process.once('exit', () => rmSync(socketDir, { recursive: true, force: true }));
  const { args, webDir } = childCommand(opts.dev);
  let child: ChildProcess | undefined;
  let current: Upstream | null = null;
  let everReady = false;
  let stopping = false;
  let generation = 0;
  let delay = 1000;
  let restartTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, (snapshot: unknown) => void>();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const start = () => {
    generation++;
    const socketPath = join(socketDir, `next-${generation}.sock`);
    rmSync(socketPath, { force: true });
    const startedAt = Date.now();
    const proc = spawn(process.execPath, args, {
      cwd: webDir,
      env: { ...process.env, [NEXT_SOCKET_ENV]: socketPath, [WEB_DIR_ENV]: webDir },
      // Same process group as the front: a signal to the group (the supervisor's) reaches both.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    proc.on('message', (message: ChildMessage) => {
      if (message?.type === 'ready') {
        everReady = true;
        current = {
          socketPath,
          agent: new http.Agent({ keepAlive: true, timeout: 60_000, scheduling: 'lifo' }),
        };
        resolveReady();
      } else if (message?.type === 'metrics') {
        pending.get(message.id)?.(message.snapshot);
        pending.delete(message.id);
      }
    });
    proc.on('error', (err) => opts.log(`[pallet] web: the Next.js process could not start: ${err.message}`));
    proc.on('exit', (code, signal) => {
      const agent = current?.socketPath === socketPath ? current.agent : undefined;
      if (agent) {
        current = null;
        agent.destroy();
      }
      for (const reply of pending.values()) reply(null);
      pending.clear();
      rmSync(socketPath, { force: true });
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!everReady) {
        opts.onFatal(`the Next.js process exited (${how}) before it was ready`);
        return;
      }
      const wait = Date.now() - startedAt > HEALTHY_AFTER_MS ? 1000 : delay;
      delay = Math.min(wait * 2, MAX_BACKOFF_MS);
      opts.log(
        `[pallet] web: the Next.js process exited (${how}); restarting it in ${(wait / 1000).toFixed(1)} s`,
      );
      restartTimer = setTimeout(start, wait);
    });
  };
  start();

  return {
    upstream: () => current,
    ready,
    pid: () => child?.pid,
    metrics() {
      const proc = child;
      if (!current || !proc?.connected) return Promise.resolve(null);
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(null);
        }, METRICS_TIMEOUT_MS);
        pending.set(id, (snapshot) => {
          clearTimeout(timer);
          resolve(snapshot);
        });
        proc.send({ type: 'metrics', id } satisfies FrontMessage, (err) => {
          if (err) pending.get(id)?.(null);
        });
      });
    },
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(kill);
      }
      current?.agent.destroy();
      current = null;
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
