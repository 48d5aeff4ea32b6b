// Renders the shipped nginx edge configuration (deploy/nginx/) for one machine and runs it: used by
// `npm run edge`, by the end-to-end tests and by the benchmarks, so all of them exercise the very same
// files a self-hoster deploys. Plain Node (no TypeScript), like the other scripts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { root } from './setup.mjs';

export const EDGE_PACKAGES = ['nginx'];
const TEMPLATES = ['nginx.conf', 'pallet-http.conf', 'pallet-locations.conf', 'pallet-files.conf'];
const DURATION = /^\d+(s|m|h|d|w|M|y)?$/; // nginx time values: whole seconds at least
const SIZE = /^\d+[kmg]?$/i;

/** The defaults `npm run edge` documents (README, "Running the edge"). */
export const EDGE_DEFAULTS = {
  ttlRelease: '30s',
  ttlIndex: '30s',
  ttlImmutable: '30d',
  authTtl: '5s',
  cacheMaxSize: '10g',
  workers: 'auto',
};

function check(name, value, pattern) {
  if (!pattern.test(String(value))) throw new Error(`edge: ${name} ${JSON.stringify(value)} is not valid`);
  return String(value);
}

/**
 * Writes the configuration into {dir}/conf and returns the path of its nginx.conf.
 * @param {{origin: string, listen: string, dir: string, ttlRelease?: string, ttlIndex?: string,
 *   ttlImmutable?: string, authTtl?: string, cacheMaxSize?: string, workers?: string|number,
 *   accessLog?: boolean}} opts
 */
export function renderEdgeConfig(opts) {
  opts = { ...opts, dir: resolve(opts.dir) };
  const o = {
    ...EDGE_DEFAULTS,
    ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
  };
  const values = {
    PALLET_ORIGIN: check('origin', o.origin, /^[A-Za-z0-9.:[\]-]+:\d+$/),
    EDGE_LISTEN: check('listen', o.listen, /^([A-Za-z0-9.[\]:-]+:)?\d+$/),
    EDGE_DIR: o.dir,
    EDGE_TTL_RELEASE: check('EDGE_TTL_RELEASE', o.ttlRelease, DURATION),
    EDGE_TTL_INDEX: check('EDGE_TTL_INDEX', o.ttlIndex, DURATION),
    EDGE_TTL_IMMUTABLE: check('EDGE_TTL_IMMUTABLE', o.ttlImmutable, DURATION),
    EDGE_AUTH_TTL: check('EDGE_AUTH_TTL', o.authTtl, DURATION),
    EDGE_CACHE_MAX_SIZE: check('EDGE_CACHE_MAX_SIZE', o.cacheMaxSize, SIZE),
    EDGE_WORKERS: check('EDGE_WORKERS', o.workers, /^(auto|\d+)$/),
    EDGE_ACCESS_LOG: o.accessLog ? join(o.dir, 'logs', 'access.log') : 'off',
  };
  if (/[\s;{}'"$]/.test(o.dir)) throw new Error(`edge: directory ${o.dir} must not contain spaces or ;{}'"$`);
  for (const d of ['conf', 'logs', 'tmp', 'cache']) mkdirSync(join(o.dir, d), { recursive: true });
  // Started as root, nginx runs its workers as nobody: they must own what they write.
  if (process.getuid?.() === 0) {
    spawnSync('chown', ['-R', 'nobody:nogroup', join(o.dir, 'tmp'), join(o.dir, 'cache')]);
  }
  for (const name of TEMPLATES) {
    const text = readFileSync(join(root, 'deploy', 'nginx', name), 'utf8').replace(
      /\$\{([A-Z_]+)\}/g,
      (whole, key) => values[key] ?? whole,
    );
    const left = /\$\{[A-Z_]+\}/.exec(text);
    if (left) throw new Error(`edge: ${name} has an unknown placeholder ${left[0]}`);
    writeFileSync(join(o.dir, 'conf', name), text);
  }
  const conf = join(o.dir, 'conf', 'nginx.conf');
  const test = spawnSync(
    'nginx',
    ['-t', '-q', '-p', o.dir, '-e', join(o.dir, 'logs', 'error.log'), '-c', conf],
    {
      encoding: 'utf8',
    },
  );
  if (test.status !== 0) throw new Error(`edge: nginx rejects the configuration: ${test.stderr.trim()}`);
  return conf;
}

function reachable(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts nginx in the foreground on the rendered configuration; resolves once it accepts connections.
 * @param {Parameters<typeof renderEdgeConfig>[0] & {fresh?: boolean, stdio?: 'inherit'|'ignore'}} opts
 */
export async function startEdge(opts) {
  opts = { ...opts, dir: resolve(opts.dir) };
  if (opts.fresh) rmSync(join(opts.dir, 'cache'), { recursive: true, force: true });
  const conf = renderEdgeConfig(opts);
  const child = spawn('nginx', ['-p', opts.dir, '-e', join(opts.dir, 'logs', 'error.log'), '-c', conf], {
    stdio: opts.stdio ?? 'ignore',
  });
  const port = Number(String(opts.listen).split(':').pop());
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const until = Date.now() + 15_000;
  while (!(await reachable(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGTERM');
      const log = readFileSync(join(opts.dir, 'logs', 'error.log'), 'utf8')
        .trim()
        .split('\n')
        .slice(-5);
      throw new Error(`edge: nginx did not start on port ${port}:\n${log.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    exited,
    async stop() {
      if (child.exitCode === null) {
        // SIGQUIT: graceful shutdown, workers finish the requests in flight.
        child.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}
