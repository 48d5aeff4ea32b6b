// HTTPS through the shipped edge (deploy/nginx/, as `npm run edge` runs it): apt, dnf and zypper
// install over https with the edge's local CA trusted; TLS 1.1 refused, 1.2 and 1.3 accepted; HSTS on
// every answer; plain http only redirects; setup answers use https; a client certificate (no token)
// reads a private repository until it is revoked, one from an untrusted CA is refused; an ACME
// certificate from pebble serves the edge and is renewed under load without a failed request.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEdge, startEdge } from '../scripts/lib/edge.mjs';
import { readCertificateState, tlsPaths } from '../scripts/lib/edge-tls.mjs';
import { type AptEnv, createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { fetchFrom } from './support/from-address';
import { type RunningPebble, startPebble } from './support/pebble';
import { buildRpm } from './support/rpm-builder';
import { requireTools } from './support/rpm-tools';
import { freePort, type RunningPallet, startPallet } from './support/server';
import { issueTestCertificate, makeTestCa } from './support/test-ca';
import { createZypperEnv, zypperRefusals } from './support/zypper';

const ORG = 'tlscorp';
let pallet: RunningPallet;
let edge: RunningEdge;
let edgeDir: string;
let work: string;
let api: PalletClient;
let httpsBase: string;
let httpPort: number;
let caFile: string;

/** curl through the edge with its CA trusted: status line and headers. */
function curl(args: string[]): { code: number; out: string } {
  const r = spawnSync('curl', ['-s', '-S', '-o', '/dev/null', '-D', '-', '--cacert', caFile, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Downloads through the edge with its CA trusted (extra curl options: client certificates). */
function download(url: string, file: string, extra: string[] = []): void {
  const r = spawnSync('curl', ['-sS', '-f', '--cacert', caFile, ...extra, '-o', file, url], {
    encoding: 'utf8',
  });
  expect(r.status, `${url}: ${r.stderr}`).toBe(0);
}

function aptWith(name: string, lines: string[]): AptEnv {
  const env = createAptEnv(join(work, name));
  // Dir::Etc points into the environment: its apt.conf.d is read after APT_CONFIG.
  writeFileSync(join(env.dir, 'etc/apt.conf.d/90tls.conf'), `${lines.join('\n')}\n`);
  return env;
}

/** A real install into a throwaway root (testing-clients.md): dpkg unpacks what apt fetched over https. */
function aptInstall(env: AptEnv, pkg: string): { code: number; output: string } {
  const root = join(env.dir, 'root');
  for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  return env.run('apt-get', [
    'install',
    '-y',
    '-o',
    `Dir::State::status=${root}/var/lib/dpkg/status`,
    '-o',
    `DPkg::Options::=--root=${root}`,
    '-o',
    'DPkg::Options::=--force-unsafe-io',
    pkg,
  ]);
}

async function publish(repo: string, file: string, distribution: string): Promise<void> {
  const up = await api.uploadPackage(ORG, repo, file, { distribution });
  const pkg = await api.waitForPackage(ORG, repo, up.data.id, 90_000);
  expect(pkg.status, pkg.error).toBe('published');
}

beforeAll(async () => {
  requireTools(['rpm', 'dnf', 'zypper', 'curl', 'openssl']);
  work = mkdtempSync(join(tmpdir(), 'pallet-https-e2e-'));
  // nginx's workers (nobody) reach the edge directory.
  chmodSync(work, 0o711);
  edgeDir = join(work, 'edge');
  httpPort = await freePort();
  const tlsPort = await freePort();
  httpsBase = `https://localhost:${tlsPort}`;
  pallet = await startPallet('https', {
    APP_URL: httpsBase,
    // The edge is this machine: its X-Forwarded-For and verified client certificates are believed.
    PALLET_TRUST_PROXY: '127.0.0.1',
    PALLET_EDGE_DIR: edgeDir,
  });
  edge = await startEdge({
    origin: new URL(pallet.baseUrl).host,
    listen: `127.0.0.1:${httpPort}`,
    tlsListen: `127.0.0.1:${tlsPort}`,
    hostnames: ['localhost', '127.0.0.1'],
    dir: edgeDir,
    workers: 1,
    accessLog: true,
    authTtl: '1s',
    clientCaPollMs: 0,
    fresh: true,
  });
  caFile = join(edgeDir, 'ca.pem');
  // The API is used straight at the origin; package clients go through the edge.
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@tlscorp.test',
    'tls corp password 1',
    ORG,
  );
  api = new PalletClient(pallet.baseUrl, signup.token);
  await api.createRepository(ORG, { name: 'pub', visibility: 'public' });
  await api.createRepository(ORG, { name: 'priv', visibility: 'private' });
  await publish(
    'pub',
    buildDeb(join(work, 'deb-pub'), { name: 'tls-hello', version: '1.0-1' }),
    'debian/bookworm',
  );
  await publish(
    'pub',
    buildRpm(join(work, 'rpm-pub'), { name: 'tls-hello', version: '1.0', release: '1', arch: 'noarch' }),
    'el/9',
  );
  await publish(
    'priv',
    buildDeb(join(work, 'deb-priv'), { name: 'secret-hello', version: '2.0-1' }),
    'debian/bookworm',
  );
}, 240_000);

afterAll(async () => {
  await edge?.stop();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('https through the shipped edge', () => {
  it('hands out https setup answers, and apt installs over https with the local CA trusted', async () => {
    const setup = await api.setup(ORG, 'pub', 'debian/bookworm');
    expect(setup.baseUrl.startsWith(`${httpsBase}/dl/`)).toBe(true);
    expect(setup.keyringUrl.startsWith('https://')).toBe(true);
    expect(setup.script).toContain(`curl -fsSL '${setup.keyringUrl}'`);
    const keyFile = join(work, 'pub.gpg');
    download(setup.keyringUrl, keyFile);
    const env = aptWith('apt-pub', [`Acquire::https::CaInfo "${caFile}";`]);
    env.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, keyFile));
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
    expect(update.output).toContain(httpsBase);
    const install = aptInstall(env, 'tls-hello');
    expect(install.code, install.output).toBe(0);
    expect(install.output).toMatch(/Setting up tls-hello \(1\.0-1\)/);

    // Without the CA, apt refuses the edge's certificate.
    const untrusting = createAptEnv(join(work, 'apt-untrusting'));
    untrusting.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, keyFile));
    const refused = untrusting.run('apt-get', ['update']);
    expect(refused.output).toMatch(/certificate|SSL|TLS/i);
    expect(problems(refused.output).length).toBeGreaterThan(0);
  });

  it('dnf and zypper install over https with the local CA trusted', async () => {
    const setup = await api.setup(ORG, 'pub', 'el/9');
    expect(setup.baseUrl.startsWith(`${httpsBase}/dl/`)).toBe(true);
    const keyFile = join(work, 'pub.asc');
    download(setup.keyUrl, keyFile);
    const repoId = /^\[([^\]]+)\]/m.exec(setup.yum!.repoFile)![1]!;
    const dnfRepo = `${setup.yum!.repoFile.replace(/^gpgkey=.*$/m, `gpgkey=file://${keyFile}`)}sslcacert=${caFile}\n`;
    const dnf = createDnfEnv(join(work, 'dnf'), { repoId, repoFile: dnfRepo, keyFile, releasever: '9' });
    const installed = dnf.dnf(['install', 'tls-hello']);
    expect(installed.code, installed.output).toBe(0);
    expect(dnf.rpm(['-q', 'tls-hello']).output).toMatch(/^tls-hello-1\.0-1\.noarch/m);

    // zypper reads CAs from a hashed directory given on the URL.
    const caDir = join(work, 'zypper-cas');
    mkdirSync(caDir, { recursive: true });
    copyFileSync(caFile, join(caDir, 'pallet-edge.pem'));
    expect(spawnSync('openssl', ['rehash', caDir]).status).toBe(0);
    const zypperRepo = setup
      .zypper!.repoFile.replace(/^gpgkey=.*$/m, `gpgkey=file://${keyFile}`)
      .replace(/^baseurl=(.*)$/m, `baseurl=$1?ssl_capath=${caDir}`);
    const zypper = createZypperEnv(join(work, 'zypper'), { repoId, repoFile: zypperRepo, keyFile });
    const zin = zypper.zypper(['install', 'tls-hello']);
    expect(zin.code, zin.output).toBe(0);
    expect(zypperRefusals(zin.output)).toEqual([]);
    expect(zypper.rpm(['-q', 'tls-hello']).output).toMatch(/^tls-hello-1\.0-1\.noarch/m);
  });

  it('refuses TLS 1.1 and accepts TLS 1.2 and 1.3', () => {
    const port = new URL(httpsBase).port;
    const hello = (version: string) =>
      spawnSync(
        'openssl',
        // SECLEVEL=0 lets this client offer TLS 1.1 at all: the refusal must come from the edge.
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          `-${version}`,
          '-cipher',
          'DEFAULT@SECLEVEL=0',
          '-CAfile',
          caFile,
          '-servername',
          'localhost',
        ],
        { input: '', encoding: 'utf8', timeout: 20_000 },
      );
    const old = hello('tls1_1');
    expect(old.status).not.toBe(0);
    expect(`${old.stdout}${old.stderr}`).toMatch(
      /alert protocol version|no protocols available|unsupported protocol/i,
    );
    const v12 = hello('tls1_2');
    expect(v12.stdout).toMatch(/Protocol\s*:\s*TLSv1\.2/);
    expect(v12.stdout).toContain('Verify return code: 0 (ok)');
    const v13 = hello('tls1_3');
    expect(v13.stdout).toMatch(/TLSv1\.3/);
    expect(v13.stdout).toContain('Verify return code: 0 (ok)');
  });

  it('sends HSTS on every https answer and answers plain http only with a redirect to https', async () => {
    const setup = await api.setup(ORG, 'pub', 'debian/bookworm');
    const pool = (await api.listPackages(ORG, 'pub', { distribution: 'debian/bookworm' })).items[0]!
      .filename!;
    const urls = [
      `${setup.baseUrl}/dists/bookworm/InRelease`,
      `${setup.baseUrl}/${pool}`,
      `${setup.baseUrl}/dists/bookworm/Release`,
      `${httpsBase}/dl/${ORG}/pub/deb/debian/pool/no/such.deb`,
      `${httpsBase}/dl/${ORG}/priv/deb/debian/dists/bookworm/InRelease`,
      `${httpsBase}/api/v1/health`,
      `${httpsBase}/sign-in`,
    ];
    const statuses: string[] = [];
    for (const url of urls) {
      const r = curl([url]);
      statuses.push(r.out.split('\r\n')[0]!);
      expect(r.out.toLowerCase(), url).toContain(
        'strict-transport-security: max-age=63072000; includesubdomains',
      );
    }
    expect(statuses.map((s) => s.split(' ')[1])).toEqual(['200', '200', '200', '404', '401', '200', '200']);
    // A credentialed request goes through the edge's access check; its refusal carries HSTS too.
    const denied = curl(['-u', 'token:plt_not_a_real_token_at_all_000000000000', urls[4]!]);
    expect(denied.out).toMatch(/^HTTP\/2 401/);
    expect(denied.out.toLowerCase()).toContain('strict-transport-security');

    const plain = `http://localhost:${httpPort}/dl/${ORG}/pub/deb/debian/dists/bookworm/InRelease?x=1`;
    const redirect = curl([plain]);
    expect(redirect.out).toMatch(/^HTTP\/1\.1 301/);
    expect(redirect.out).toMatch(
      new RegExp(`location: ${httpsBase}/dl/${ORG}/pub/deb/debian/dists/bookworm/InRelease\\?x=1`, 'i'),
    );
    // apt given the http URL follows the redirect and verifies everything over https.
    const keyFile = join(work, 'pub.gpg');
    const env = aptWith('apt-redirect', [`Acquire::https::CaInfo "${caFile}";`]);
    env.setSources(
      setup
        .apt!.sourcesLine.replace(setup.apt!.keyringPath, keyFile)
        .replace(httpsBase, `http://localhost:${httpPort}`),
    );
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
  });

  it('makes the install script of a private repository refuse plain http unless told', async () => {
    // APP_URL decides what setup hands out: https here, plain http on a second instance.
    const httpsScript = (await api.setup(ORG, 'priv', 'debian/bookworm')).script;
    expect(httpsScript).not.toContain('PALLET_ALLOW_INSECURE');
    const other = await startPallet('https-plain');
    try {
      const s = await new PalletClient(other.baseUrl).signup(
        'o@plain.test',
        'plain corp password 1',
        'plaincorp',
      );
      const papi = new PalletClient(other.baseUrl, s.token);
      await papi.createRepository('plaincorp', { name: 'priv', visibility: 'private' });
      for (const dist of ['debian/bookworm', 'el/9']) {
        const script = (await papi.setup('plaincorp', 'priv', dist)).script;
        // Run only the script's head, up to the guard: nothing after it may touch this machine.
        const head = script.slice(0, script.indexOf('\nesac\n') + 6);
        writeFileSync(join(work, 'guard.sh'), head);
        const refused = spawnSync('sh', [join(work, 'guard.sh')], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH },
        });
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/Refusing to configure a private repository over plain http/);
        const allowed = spawnSync('sh', [join(work, 'guard.sh')], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, PALLET_ALLOW_INSECURE: '1' },
        });
        expect(allowed.status).toBe(0);
      }
      await papi.createRepository('plaincorp', { name: 'pub', visibility: 'public' });
      expect((await papi.setup('plaincorp', 'pub', 'debian/bookworm')).script).not.toContain(
        'PALLET_ALLOW_INSECURE',
      );
    } finally {
      await other.stop();
    }
  });
});

describe('client certificates at the edge', () => {
  it('lets apt with a client certificate (no token) install from a private repository until it is revoked', async () => {
    const created = (
      await api.request<{
        id: string;
        certificatePem: string;
        privateKeyPem: string;
        caPem: string;
        fingerprint: string;
      }>('POST', `/orgs/${ORG}/client-certificates`, { name: 'build-farm', repos: ['priv'] })
    ).data;
    expect(created.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
    const certFile = join(work, 'client.pem');
    const keyFile = join(work, 'client.key');
    writeFileSync(certFile, created.certificatePem);
    writeFileSync(keyFile, created.privateKeyPem, { mode: 0o600 });
    // The edge learns the org's CA from the origin (polled; here at once).
    expect(await edge.syncClientCas()).toBe(true);
    const listed = (
      await api.request<{ id: string; revokedAt: string | null }[]>('GET', `/orgs/${ORG}/client-certificates`)
    ).data;
    expect(listed.map((c) => c.id)).toContain(created.id);

    const setup = await api.setup(ORG, 'priv', 'debian/bookworm');
    const tlsLines = [
      `Acquire::https::CaInfo "${caFile}";`,
      `Acquire::https::SslCert "${certFile}";`,
      `Acquire::https::SslKey "${keyFile}";`,
    ];
    const ring = join(work, 'priv.gpg');
    download(setup.keyringUrl, ring, ['--cert', certFile, '--key', keyFile]);
    const env = aptWith('apt-cert', tlsLines);
    env.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, ring));
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output), update.output).toEqual([]);
    const install = aptInstall(env, 'secret-hello');
    expect(install.code, install.output).toBe(0);

    // Without the certificate (and without a token) the private repository stays closed.
    const bare = aptWith('apt-bare', [`Acquire::https::CaInfo "${caFile}";`]);
    bare.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, ring));
    expect(bare.run('apt-get', ['update']).output).toMatch(/401|Unauthorized/);

    // A certificate is public: the origin believes the edge's header only from a trusted proxy.
    const forged = await fetchFrom('127.0.0.2')(
      `${pallet.baseUrl}/dl/${ORG}/priv/deb/debian/dists/bookworm/InRelease`,
      {
        headers: { 'x-pallet-client-cert': encodeURIComponent(created.certificatePem) },
      },
    );
    expect(forged.status).toBe(401);

    expect((await api.request('DELETE', `/orgs/${ORG}/client-certificates/${created.id}`)).status).toBe(204);
    // The edge reuses access decisions for EDGE_AUTH_TTL (1 s here; nginx counts whole seconds).
    await new Promise((r) => setTimeout(r, 2500));
    const after = aptWith('apt-cert-revoked', tlsLines);
    after.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, ring));
    const refused = after.run('apt-get', ['update']);
    expect(problems(refused.output).length, refused.output).toBeGreaterThan(0);
    expect(refused.output).toMatch(/401|Unauthorized/);
  });

  it('refuses a client certificate from a CA the org never registered', () => {
    const dir = join(work, 'rogue');
    // A CA that claims the org's CA name but was never registered, and a client certificate it signed.
    makeTestCa(dir, 'tlscorp client CA');
    const rogue = issueTestCertificate(dir, 'c', 'rogue', ['extendedKeyUsage=clientAuth']);
    const env = aptWith('apt-rogue', [
      `Acquire::https::CaInfo "${caFile}";`,
      `Acquire::https::SslCert "${rogue.cert}";`,
      `Acquire::https::SslKey "${rogue.key}";`,
    ]);
    env.setSources(`deb [trusted=no] ${httpsBase}/dl/${ORG}/priv/deb/debian bookworm main`);
    const refused = env.run('apt-get', ['update']);
    expect(problems(refused.output).length, refused.output).toBeGreaterThan(0);
    // apt's TLS library offers a certificate only to a server that names its issuer among the acceptable
    // CAs, so this one is never sent and the request is anonymous (401); curl sends it and nginx ends
    // the request at the TLS check (400). Either way nothing private is read.
    expect(refused.output).toMatch(/401|400|certificate/i);
    const curlRogue = spawnSync(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--cacert',
        caFile,
        '--cert',
        rogue.cert,
        '--key',
        rogue.key,
        `${httpsBase}/dl/${ORG}/priv/deb/debian/dists/bookworm/InRelease`,
      ],
      { encoding: 'utf8' },
    );
    expect(curlRogue.stdout).toBe('400');
  });
});

describe('the edge certificate', () => {
  it('is reported by health with the days left, audited once, and raises the alarm under 14 days', async () => {
    const health = await (await fetch(`${pallet.baseUrl}/api/v1/health`)).json();
    expect(health.status).toBe('ok');
    expect(health.certificate).toMatchObject({ status: 'ok', source: 'local-ca' });
    expect(health.certificate.daysLeft).toBeGreaterThanOrEqual(88);
    const db = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
    await db.connect();
    try {
      const state = readCertificateState(edgeDir)!;
      const events = await db.query(
        `SELECT action, "targetId" FROM "AuditEvent" WHERE "orgId" IS NULL AND action = 'edge.certificate_installed'`,
      );
      expect(events.rows).toEqual([{ action: 'edge.certificate_installed', targetId: state.serialNumber }]);
      // A certificate whose renewals kept failing: ten days left.
      const soon = {
        ...state,
        serialNumber: 'FEEDC0DE',
        notAfter: new Date(Date.now() + 10.5 * 86_400_000).toISOString(),
      };
      writeFileSync(tlsPaths(edgeDir).state, JSON.stringify(soon));
      const alarm = await (await fetch(`${pallet.baseUrl}/api/v1/health`)).json();
      expect(alarm.certificate).toMatchObject({ status: 'expiring', daysLeft: 10 });
      expect(alarm.status).toBe('ok');
      writeFileSync(tlsPaths(edgeDir).state, JSON.stringify(state));
    } finally {
      await db.end();
    }
  });
});

describe('ACME', () => {
  let pebble: RunningPebble | undefined;
  let acmeEdge: RunningEdge | undefined;
  afterAll(async () => {
    await acmeEdge?.stop();
    await pebble?.stop();
  });

  it('serves a certificate issued by pebble and renews it under load without a failed request', async () => {
    const acmeHttp = await freePort();
    const acmeTls = await freePort();
    pebble = await startPebble(join(work, 'pebble'), acmeHttp);
    acmeEdge = await startEdge({
      origin: new URL(pallet.baseUrl).host,
      listen: `127.0.0.1:${acmeHttp}`,
      tlsListen: `127.0.0.1:${acmeTls}`,
      hostnames: ['localhost'],
      dir: join(work, 'acme-edge'),
      workers: 1,
      acmeDirectory: pebble.directoryUrl,
      acmeCaFile: pebble.listenerCaFile,
      clientCaPollMs: 0,
      fresh: true,
    });
    const first = readCertificateState(join(work, 'acme-edge'))!;
    expect(first.source).toBe('acme');
    expect(first.issuer).toMatch(/Pebble/);
    const root = readFileSync(pebble.issuingRootFile, 'utf8');
    const url = `https://localhost:${acmeTls}/api/v1/health`;
    const agent = new https.Agent({ keepAlive: true, ca: root, maxSockets: 4 });
    const once = (fresh: boolean) =>
      new Promise<{ status: number; serial: string }>((resolve, reject) => {
        const req = https.get(url, fresh ? { ca: root, agent: false } : { agent }, (res) => {
          const serial = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().serialNumber;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, serial }));
        });
        req.on('error', (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
      });
    // As apt and curl do (and Node's documentation advises): a request on a reused keep-alive connection
    // that the server closed as idle at that very moment is sent again on a fresh connection. Anything
    // else, a refused or reset new connection or a bad answer, is a failure.
    const get = async (fresh: boolean) => {
      try {
        return await once(fresh);
      } catch (err) {
        if ((err as { reused?: boolean }).reused) return once(fresh);
        throw err;
      }
    };
    expect((await get(true)).serial.toUpperCase()).toBe(first.serialNumber.toUpperCase());

    // Requests keep flowing (reused and new connections) while the certificate is renewed.
    let stop = false;
    const failures: string[] = [];
    let done = 0;
    const loop = async (fresh: boolean) => {
      while (!stop) {
        try {
          const r = await get(fresh);
          if (r.status !== 200) failures.push(`status ${r.status}`);
          done++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const loops = [loop(false), loop(false), loop(true)];
    const renewed = await acmeEdge.renew(true);
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    expect(failures).toEqual([]);
    expect(done).toBeGreaterThan(10);
    expect(renewed?.serialNumber).not.toBe(first.serialNumber);
    expect(renewed?.renewals).toBe(first.renewals + 1);
    expect((await get(true)).serial.toUpperCase()).toBe(renewed!.serialNumber.toUpperCase());
  });
});
