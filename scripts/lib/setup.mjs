// Brings a fresh Debian/Ubuntu machine (Node 20.19+) to a working Pallet: npm dependencies, the Debian
// packages a mode needs, PostgreSQL and Redis (started or installed when none is reachable), the
// generated Prisma client and the database migrations. Plain Node: it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (msg) => console.log(`[setup] ${msg}`);

export const DEFAULTS = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/pallet',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/** Debian packages the test suite drives: the real package clients, signing tools and a browser.
 * That is: apt-get install -y dnf zypper rpm createrepo-c gnupg apt-utils chromium xz-utils zstd curl nginx
 *          openssl pebble */
export const TEST_PACKAGES = [
  'dnf',
  'zypper',
  'rpm',
  'createrepo-c',
  'gnupg',
  'apt-utils',
  'chromium',
  'xz-utils',
  'zstd',
  'curl',
  // OSV advisory archives in the vulnerability-scanning tests
  'zip',
  // the shipped edge (deploy/nginx), which the edge and soak end-to-end tests run, its local CA, and
  // Let's Encrypt's ACME test CA for the edge's ACME path
  'nginx',
  'openssl',
  'pebble',
];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(`Node ${process.versions.node} is too old: Pallet needs Node >= 20.19.`);
  }
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

let aptUpdated = false;
export function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

export function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, what, seconds = 30) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await reachable(host, port)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up on ${host}:${port}`);
}

function isLocal(host) {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

async function ensurePostgres(url) {
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 5432);
  if (await reachable(host, port)) return;
  if (!isLocal(host)) throw new Error(`PostgreSQL at ${host}:${port} is not reachable.`);
  if (!existsSync('/etc/postgresql') || readdirSync('/etc/postgresql').length === 0) {
    ensureDebianPackages(['postgresql']);
    // A development machine: trust local TCP connections, like the machines Pallet is developed on.
    const version = readdirSync('/etc/postgresql')[0];
    const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
    const text = readFileSync(hba, 'utf8');
    if (!text.includes('# pallet-dev')) {
      writeFileSync(
        hba,
        `# pallet-dev\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${text}`,
      );
    }
  }
  const version = readdirSync('/etc/postgresql')[0];
  log(`starting PostgreSQL ${version}`);
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  await waitFor(host, port, 'PostgreSQL');
}

async function ensureRedis(url) {
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 6379);
  if (await reachable(host, port)) return;
  if (!isLocal(host)) throw new Error(`Redis at ${host}:${port} is not reachable.`);
  ensureDebianPackages(['redis-server']);
  log('starting Redis');
  run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitFor(host, port, 'Redis');
}

function ensurePrismaClient() {
  const schema = readFileSync(join(root, 'prisma', 'schema.prisma'));
  const digest = createHash('sha256').update(schema).digest('hex');
  const marker = join(root, 'packages', 'db', 'src', 'generated', '.schema-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === digest) return;
  log('generating the Prisma client');
  // `prisma generate` needs no schema engine; pointing at a stub stops the CLI from downloading one.
  run('npx', ['prisma', 'generate'], {
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  writeFileSync(marker, digest);
}

export function migrate(databaseUrl) {
  execFileSync('npx', ['tsx', join(root, 'scripts', 'lib', 'migrate.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/** mode: 'start' | 'test' */
export async function setup(mode) {
  checkNode();
  for (const [k, v] of Object.entries(DEFAULTS)) process.env[k] ??= v;
  if (mode === 'test') ensureDebianPackages(TEST_PACKAGES);
  ensureNodeModules();
  await ensurePostgres(process.env.DATABASE_URL);
  await ensureRedis(process.env.REDIS_URL);
  ensurePrismaClient();
  migrate(process.env.DATABASE_URL);
}
