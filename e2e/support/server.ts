// Starts the built web app (the front process, apps/web/src/front) and the worker against a test instance, like `npm start` does.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { WEB_MALLOC_ENV, webProcess, workerProcess } from '../../scripts/lib/supervise.mjs';
import { createTestInstance, type TestInstance } from '../../test/instance';
import { type E2eStorage, e2eStorageKind, startE2eStorage } from './storage';

export interface RunningPallet {
  baseUrl: string;
  instance: TestInstance;
  /** The instance's storage (filesystem, or s3rver with PALLET_E2E_STORAGE=s3). */
  storage: E2eStorage;
  /** The worker's process (node running its bundle), for benches that read its CPU time. */
  workerPid: number | undefined;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function startChild(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
): ChildProcess {
  // The child writes its log itself (not through a pipe this process would copy): under a bench's
  // load, copying the instance's output cost the sending process more CPU than its uploads.
  const out = openSync(logFile, 'a');
  try {
    return spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
  } finally {
    closeSync(out);
  }
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Pallet did not become healthy: ${last}`);
}

export async function startPallet(
  label: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningPallet> {
  const webSpec = webProcess();
  const workerSpec = workerProcess();
  for (const spec of [webSpec, workerSpec]) {
    const entry = join(spec.cwd, spec.args.at(-1)!);
    if (!existsSync(entry)) {
      throw new Error(`${entry} is missing: npx turbo run build --filter=@pallet/web builds it`);
    }
  }
  const instance = await createTestInstance(label);
  let storage: E2eStorage;
  try {
    storage = await startE2eStorage(e2eStorageKind(), instance.env.PALLET_STORAGE!, label);
  } catch (err) {
    await instance.destroy();
    throw err;
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...instance.env,
    ...storage.env,
    PORT: String(port),
    APP_URL: baseUrl,
    NODE_ENV: 'production',
    ...extraEnv,
  };
  // The processes as `npm start` runs them, from the bundles the web app's build makes: the front
  // (dist/front.mjs, plain node) answers /dl and uploads itself and starts Next.js as its child for
  // everything else; the worker runs apps/worker/dist/main.mjs.
  const web = startChild(
    webSpec.command,
    webSpec.args,
    webSpec.cwd,
    { ...WEB_MALLOC_ENV, PALLET_LISTEN_HOST: '127.0.0.1', ...env },
    join(instance.dir, 'web.log'),
  );
  const worker = startChild(
    workerSpec.command,
    workerSpec.args,
    workerSpec.cwd,
    env,
    join(instance.dir, 'worker.log'),
  );
  const stop = async () => {
    for (const child of [web, worker]) {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {}
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    await storage.stop();
    await instance.destroy();
  };
  try {
    await waitHealthy(baseUrl, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, instance, storage, workerPid: worker.pid, stop };
}

/**
 * The origin checks a file it holds in memory against the disk at most once a second (RECHECK_MS in
 * apps/web/src/origin/blob-memory-cache.ts): a test that changes storage behind Pallet's back waits this
 * long before a client looks, as a second machine's client would arrive after the change.
 */
export async function waitForServeRecheck(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1100));
}
