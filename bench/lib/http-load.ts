// Serving benchmarks: an nginx reference that serves files from disk (the same bytes Pallet serves),
// and wrk runs that report requests per second. Reused by every serving row (origin, edge, ...).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../e2e/support/server';

export interface LoadOptions {
  headers?: Record<string, string>;
  seconds?: number;
  connections?: number;
  threads?: number;
}

/** Requests per second that wrk reaches against one URL (after a one-second warm-up). */
export function wrkRequestsPerSecond(url: string, opts: LoadOptions = {}): number {
  const headerArgs = Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const base = ['-t', String(opts.threads ?? 2), '-c', String(opts.connections ?? 16), ...headerArgs];
  spawnSync('wrk', [...base, '-d', '1s', url], { encoding: 'utf8' });
  const run = spawnSync('wrk', [...base, '-d', `${opts.seconds ?? 4}s`, url], { encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (run.status !== 0 || !rps) throw new Error(`wrk failed against ${url}:\n${out}`);
  // Non-2xx answers would make any figure meaningless.
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`wrk saw error answers from ${url}:\n${out}`);
  return Number(rps[1]);
}

export interface StaticNginx {
  baseUrl: string;
  stop(): void;
}

/**
 * nginx serving `files` (URL path → bytes) from a temporary directory, configured as a plain static
 * file server would be: sendfile, keep-alive, no access log, one worker per CPU (the issue's reference).
 * With `openFileCache`, open descriptors are cached too (as the shipped edge caches its own cache files'
 * descriptors): the tuned reference printed beside the plain one.
 */
export async function startStaticNginx(
  files: Map<string, Uint8Array>,
  opts: { openFileCache?: boolean } = {},
): Promise<StaticNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'pallet-bench-nginx-'));
  const docroot = join(dir, 'www');
  for (const [path, bytes] of files) {
    const file = join(docroot, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
user root;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  ${opts.openFileCache ? 'open_file_cache max=10000 inactive=60s; open_file_cache_valid 10s;' : ''}
  types { application/vnd.debian.binary-package deb; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${docroot};
  }
}
`,
  );
  // Its own session and process group, like the Pallet processes the e2e harness starts (detached): the
  // kernel's per-session CPU scheduling (autogroup) then treats the reference and Pallet alike.
  const child = spawn('nginx', ['-c', conf, '-p', dir, '-g', 'daemon off;'], {
    stdio: 'inherit',
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(baseUrl).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    stop() {
      try {
        process.kill(-child.pid!, 'SIGQUIT');
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
