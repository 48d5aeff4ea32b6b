// The one-machine process supervisor behind `npm start` (scripts/lib/supervise.mjs) with the real web
// server and worker: a killed worker is restarted with a log line while the web keeps answering (and
// the restarted worker publishes), a killed web is restarted while the worker keeps running, and
// SIGTERM stops everything within a few seconds although an upload is still in flight.
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { palletProcesses, type Supervisor, supervise } from '../scripts/lib/supervise.mjs';
import { createTestInstance, type TestInstance } from '../test/instance';
import { buildDeb } from './support/deb-builder';
import { freePort } from './support/server';

let instance: TestInstance;
let supervisor: Supervisor;
let baseUrl: string;
let port: number;
let logFd: number;
let token = '';
const lines: string[] = [];

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = () => waitFor('health', async () => (await fetch(`${baseUrl}/api/v1/health`)).ok);

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  instance = await createTestInstance('supervisor');
  port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  logFd = openSync(join(instance.dir, 'processes.log'), 'a');
  const env = {
    ...process.env,
    ...instance.env,
    PORT: String(port),
    APP_URL: baseUrl,
    NODE_ENV: 'production',
    PALLET_LISTEN_HOST: '127.0.0.1',
  };
  supervisor = supervise(palletProcesses(env, ['ignore', logFd, logFd]), {
    log: (line) => lines.push(line),
    restartDelayMs: 500,
  });
  await healthy();
});

afterAll(async () => {
  await supervisor?.stop();
  if (logFd) closeSync(logFd);
  await instance?.destroy();
});

it('restarts a crashed worker with a log line while the web keeps answering', async () => {
  const web = supervisor.child('web')!.pid;
  const worker = supervisor.child('worker')!.pid!;
  process.kill(-worker, 'SIGKILL');
  await waitFor('the restart line', async () =>
    lines.some((l) => /worker exited \(signal SIGKILL\); restarting/.test(l)),
  );
  expect((await fetch(`${baseUrl}/api/v1/health`)).status).toBe(200);
  await waitFor('the new worker', async () => lines.some((l) => /worker restarted/.test(l)));
  expect(supervisor.child('worker')!.pid).not.toBe(worker);
  expect(supervisor.child('web')!.pid).toBe(web);
  // The restarted worker does its job: an upload gets published.
  const signup = await new PalletClient(baseUrl).signup(
    'owner@supervisor.test',
    'supervisor password 1',
    'sup',
  );
  token = signup.token;
  const api = new PalletClient(baseUrl, signup.token);
  await api.createRepository('sup', { name: 'tools', keyAlgorithm: 'ed25519' });
  const res = await api.uploadPackage(
    'sup',
    'tools',
    buildDeb(instance.dir, { name: 'sup-hello', version: '1.0-1' }),
    {
      distribution: 'debian/bookworm',
    },
  );
  expect((await api.waitForPackage('sup', 'tools', res.data.id, 60_000)).status).toBe('published');
});

it('restarts a crashed web process while the worker keeps running', async () => {
  const worker = supervisor.child('worker')!.pid;
  const web = supervisor.child('web')!.pid!;
  process.kill(-web, 'SIGKILL');
  await waitFor('the restart line', async () =>
    lines.some((l) => /web exited \(signal SIGKILL\); restarting/.test(l)),
  );
  await healthy();
  expect(supervisor.child('web')!.pid).not.toBe(web);
  expect(supervisor.child('worker')!.pid).toBe(worker);
  expect(alive(worker)).toBe(true);
});

it('stops web and worker within a few seconds of SIGTERM with an upload in flight', async () => {
  // An upload that announces 50 MB and stalls after the first few: the request stays in flight.
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('error', () => {});
  // Read what the server sends, as a real client does: a half-closed socket whose data nobody reads never
  // emits 'end', so it would sit in CLOSE-WAIT for ever after the server's graceful FIN.
  socket.resume();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST /api/v1/orgs/sup/repos/tools/packages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      'Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 52428800\r\n\r\n' +
      '--b\r\nContent-Disposition: form-data; name="file"; filename="x.deb"\r\n\r\n' +
      'x'.repeat(64 * 1024),
  );
  await new Promise((r) => setTimeout(r, 500));
  const pids = ['web', 'worker'].map((n) => supervisor.child(n)!.pid!);
  const started = Date.now();
  await supervisor.stop();
  const took = Date.now() - started;
  expect(took).toBeLessThan(8000);
  for (const pid of pids) expect(alive(pid), `process ${pid} still running`).toBe(false);
  // Both stopped on their own: nothing had to be killed.
  expect(lines.filter((l) => /did not stop/.test(l))).toEqual([]);
  await closed;
  expect(readFileSync(join(instance.dir, 'processes.log'), 'utf8')).toMatch(/web stopping \(SIGTERM\)/);
});
