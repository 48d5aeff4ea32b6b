// Runs Pallet's processes (web, worker) on one machine: a child that exits on its own is restarted
// with a log line, with growing pauses if it keeps crashing, while the others keep running; `stop()`
// sends SIGTERM to every child's process group and SIGKILL to whatever is left after the grace period.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

const MAX_BACKOFF_MS = 30_000;
/** A child that ran this long is considered healthy again: its next crash restarts it at once. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * @param {{ name: string, command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv, stdio?: any }[]} specs
 * @param {{ log?: (line: string) => void, graceMs?: number, restartDelayMs?: number }} [opts]
 */
export function supervise(specs, opts = {}) {
  const log = opts.log ?? ((line) => console.log(line));
  const graceMs = opts.graceMs ?? 5000;
  const firstDelay = opts.restartDelayMs ?? 1000;
  let stopping = false;
  const running = new Map();

  const start = (spec, delay) => {
    const startedAt = Date.now();
    // Own process group, so that a signal reaches grandchildren (tsx, Next's workers) as well.
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: spec.stdio ?? 'inherit',
      detached: true,
    });
    const entry = { spec, child, restartTimer: undefined };
    running.set(spec.name, entry);
    child.on('error', (err) => log(`[pallet] ${spec.name} could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      entry.exited = true;
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const next =
        Date.now() - startedAt > HEALTHY_AFTER_MS ? firstDelay : Math.min(delay * 2, MAX_BACKOFF_MS);
      log(`[pallet] ${spec.name} exited (${how}); restarting it in ${(delay / 1000).toFixed(1)} s`);
      entry.restartTimer = setTimeout(() => {
        if (stopping) return;
        log(`[pallet] ${spec.name} restarted`);
        start(spec, next);
      }, delay);
    });
    return entry;
  };

  for (const spec of specs) start(spec, firstDelay);

  const signalGroup = (child, signal) => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {}
    }
  };

  return {
    /** The current child process of a spec, by name. */
    child(name) {
      return running.get(name)?.child;
    },
    async stop() {
      stopping = true;
      const entries = [...running.values()];
      for (const e of entries) clearTimeout(e.restartTimer);
      const alive = entries.filter((e) => !e.exited);
      for (const e of alive) signalGroup(e.child, 'SIGTERM');
      const exited = Promise.all(
        alive.map((e) => (e.exited ? null : new Promise((resolve) => e.child.once('exit', resolve)))),
      );
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      for (const e of alive) {
        if (!e.exited) {
          log(`[pallet] ${e.spec.name} did not stop within ${graceMs / 1000} s; killing it`);
          signalGroup(e.child, 'SIGKILL');
        }
      }
      // Also clear out anything left in the groups (a grandchild that ignored SIGTERM).
      for (const e of entries) signalGroup(e.child, 'SIGKILL');
      await exited;
    },
  };
}

/**
 * glibc malloc for the web process: buffers over 128 KiB (S3 upload parts) always get their own mapping,
 * returned to the system when freed (by default the threshold creeps up to 32 MiB after the first such
 * free, and freed parts then stay in the heap), and at most two arenas.
 */
export const WEB_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_ARENA_MAX: '2' };

/**
 * The web process: the front (apps/web/dist/front.mjs, bundled by the web app's build) under plain node,
 * which starts Next.js as its own child. A small young generation keeps the front lean while it streams
 * uploads (V8's default semi-spaces grow to 16 MiB each); `--expose-gc` lets it collect dead upload
 * buffers early (apps/web/src/front/gc-pacer.ts). `--liftoff-only`: Prisma's query compiler is a 3.4 MB
 * WebAssembly module, instantiated at the front's first Prisma query (the end of its first upload); V8's
 * optimizing tier (TurboFan) recompiling its hot functions cost 40-60 MiB of RSS there and more CPU than it
 * saved (the first query ~0.8 s of CPU instead of ~0.4 s, later ones no faster), measured in a bare node.
 */
export function webProcess(env = process.env, stdio = 'inherit') {
  return {
    name: 'web',
    command: process.execPath,
    args: ['--max-semi-space-size=1', '--liftoff-only', '--expose-gc', 'dist/front.mjs'],
    cwd: join(ROOT, 'apps', 'web'),
    env: { ...WEB_MALLOC_ENV, ...env },
    stdio,
  };
}

/**
 * The worker: its bundle (apps/worker/dist/main.mjs, built with the web app, see turbo.json) under plain
 * node. Transpiling its TypeScript with tsx at every start cost about 5 s of CPU per start.
 */
export function workerProcess(env = process.env, stdio = 'inherit') {
  return {
    name: 'worker',
    command: process.execPath,
    args: ['dist/main.mjs'],
    cwd: join(ROOT, 'apps', 'worker'),
    env,
    stdio,
  };
}

/** Pallet's processes on one machine: the web process (front + its Next.js child) and the worker. */
export function palletProcesses(env = process.env, stdio = 'inherit') {
  return [webProcess(env, stdio), workerProcess(env, stdio)];
}
