// Renders the shipped nginx edge configuration (deploy/nginx/) for one machine and runs it: used by
// `npm run edge`, by the end-to-end tests and by the benchmarks, so all of them exercise the very same
// files a self-hoster deploys. Plain Node (no TypeScript), like the other scripts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { ensureCertificate, ensureLocalCa, readCertificateState, tlsPaths } from './edge-tls.mjs';
import { root } from './setup.mjs';

/** nginx, and openssl for the edge's local CA (the certificate when no ACME CA is configured). */
export const EDGE_PACKAGES = ['nginx', 'openssl'];
const TEMPLATES = [
  'nginx.conf',
  'pallet-http.conf',
  'pallet-locations.conf',
  'pallet-files.conf',
  'pallet-tls.conf',
];
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

function fill(name, values) {
  const text = readFileSync(join(root, 'deploy', 'nginx', name), 'utf8').replace(
    /\$\{([A-Z_]+)\}/g,
    (whole, key) => values[key] ?? whole,
  );
  const left = /\$\{[A-Z_]+\}/.exec(text);
  if (left) throw new Error(`edge: ${name} has an unknown placeholder ${left[0]}`);
  return text;
}

/** `:8443` in redirect targets, nothing for https's own port. */
function portSuffix(listen) {
  const port = listen.split(':').pop();
  return port === '443' ? '' : `:${port}`;
}

function check(name, value, pattern) {
  if (!pattern.test(String(value))) throw new Error(`edge: ${name} ${JSON.stringify(value)} is not valid`);
  return String(value);
}

/**
 * Writes the configuration into {dir}/conf and returns the path of its nginx.conf. With `tlsListen`,
 * https is served there and plain http (`listen`) only redirects; the certificate must be in place
 * (startEdge sees to it).
 * @param {{origin: string, listen: string, dir: string, tlsListen?: string, ttlRelease?: string,
 *   ttlIndex?: string, ttlImmutable?: string, authTtl?: string, cacheMaxSize?: string,
 *   workers?: string|number, accessLog?: boolean}} opts
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
    EDGE_TLS_LISTEN: o.tlsListen ? check('EDGE_TLS_PORT', o.tlsListen, /^([A-Za-z0-9.[\]:-]+:)?\d+$/) : '',
    EDGE_TLS_PORT_SUFFIX: o.tlsListen ? portSuffix(String(o.tlsListen)) : '',
  };
  if (/[\s;{}'"$]/.test(o.dir)) throw new Error(`edge: directory ${o.dir} must not contain spaces or ;{}'"$`);
  for (const d of ['conf', 'logs', 'tmp', 'cache']) mkdirSync(join(o.dir, d), { recursive: true });
  // Started as root, nginx runs its workers as nobody: they must own what they write.
  if (process.getuid?.() === 0) {
    spawnSync('chown', ['-R', 'nobody:nogroup', join(o.dir, 'tmp'), join(o.dir, 'cache')]);
  }
  for (const name of TEMPLATES) {
    writeFileSync(join(o.dir, 'conf', name), fill(name, values));
  }
  const servers = o.tlsListen ? 'servers-tls.conf' : 'servers-plain.conf';
  writeFileSync(join(o.dir, 'conf', 'pallet-servers.conf'), fill(servers, values));
  if (o.tlsListen) {
    // ssl_client_certificate needs one certificate at least before any org has a CA: the edge's own CA
    // (it signs server certificates only, which fail the client-purpose check).
    const cas = tlsPaths(o.dir).clientCas;
    if (!existsSync(cas)) writeFileSync(cas, readFileSync(ensureLocalCa(o.dir)));
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

/** The master's worker and cache processes. */
function nginxChildren(pid) {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return new Set(
    r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
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
 * @param {Parameters<typeof renderEdgeConfig>[0] & {fresh?: boolean, stdio?: 'inherit'|'ignore',
 *   hostnames?: string[], acmeDirectory?: string, acmeEmail?: string, acmeCaFile?: string,
 *   renewCheckMs?: number}} opts
 */
export async function startEdge(opts) {
  opts = { ...opts, dir: resolve(opts.dir) };
  if (opts.fresh) rmSync(join(opts.dir, 'cache'), { recursive: true, force: true });
  const tls = opts.tlsListen
    ? {
        hostnames: opts.hostnames?.length ? opts.hostnames : ['localhost', '127.0.0.1'],
        acmeDirectory: opts.acmeDirectory,
        acmeEmail: opts.acmeEmail,
        acmeCaFile: opts.acmeCaFile,
      }
    : null;
  // The first certificate before nginx starts (an ACME CA can reach the challenge files only once
  // nginx runs: a temporary local certificate bridges that first start).
  if (tls) await ensureCertificate({ dir: opts.dir, hostnames: tls.hostnames });
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
  /** Graceful reload: new workers read the configuration and certificate; old ones finish their requests. */
  const reload = async () => {
    if (child.exitCode !== null) return;
    const test = spawnSync(
      'nginx',
      ['-t', '-q', '-p', opts.dir, '-e', join(opts.dir, 'logs', 'error.log'), '-c', conf],
      { encoding: 'utf8' },
    );
    if (test.status !== 0) throw new Error(`edge: nginx rejects the new state: ${test.stderr.trim()}`);
    const before = nginxChildren(child.pid);
    child.kill('SIGHUP');
    // Done when the processes of the old generation are gone: from then on every connection is served
    // with the new configuration and certificate (old workers finish their requests first).
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const now = nginxChildren(child.pid);
      if (![...before].some((pid) => now.has(pid)) && now.size > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let renewing = null;
  /** Renews the certificate when it is due (or `force`), then reloads; resolves to the new state or null. */
  const renew = (force = false) => {
    if (!tls) return Promise.resolve(null);
    renewing ??= (async () => {
      try {
        const installed = await ensureCertificate({ dir: opts.dir, ...tls, force });
        if (!installed) return null;
        await reload();
        return readCertificateState(opts.dir);
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  };
  let timer = null;
  if (tls) {
    const firstAcme = tls.acmeDirectory && readCertificateState(opts.dir)?.source !== 'acme';
    if (firstAcme) await renew(true);
    const every = opts.renewCheckMs ?? 12 * 3600_000;
    timer = setInterval(() => {
      renew().catch((err) => console.error(`[edge] certificate renewal failed: ${err.message}`));
    }, every);
    timer.unref();
  }
  /**
   * The orgs' client CAs, from the origin (public certificates only): nginx asks for and verifies
   * client certificates against them; which repositories a certificate may read is Pallet's decision.
   */
  const syncClientCas = async () => {
    if (!tls) return false;
    const res = await fetch(`http://${opts.origin}/_pallet/edge-client-cas`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`edge: the origin answered ${res.status} for its client CAs`);
    const bundle = (await res.text()).trim();
    const cas = tlsPaths(opts.dir).clientCas;
    const next = `${readFileSync(ensureLocalCa(opts.dir), 'utf8').trim()}\n${bundle ? `${bundle}\n` : ''}`;
    if (existsSync(cas) && readFileSync(cas, 'utf8') === next) return false;
    writeFileSync(`${cas}.tmp`, next);
    renameSync(`${cas}.tmp`, cas);
    await reload();
    return true;
  };
  let caTimer = null;
  if (tls && (opts.clientCaPollMs ?? 30_000) > 0) {
    const poll = () =>
      syncClientCas().catch((err) => console.error(`[edge] client CA refresh failed: ${err.message}`));
    void poll();
    caTimer = setInterval(poll, opts.clientCaPollMs ?? 30_000);
    caTimer.unref();
  }
  const tlsPort = tls ? Number(String(opts.tlsListen).split(':').pop()) : null;
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    httpsUrl: tls ? `https://${tls.hostnames.find((h) => !h.includes('*')) ?? '127.0.0.1'}:${tlsPort}` : null,
    reload,
    renew,
    syncClientCas,
    exited,
    async stop() {
      if (timer) clearInterval(timer);
      if (caTimer) clearInterval(caTimer);
      if (child.exitCode === null) {
        // SIGQUIT: graceful shutdown, workers finish the requests in flight.
        child.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}
