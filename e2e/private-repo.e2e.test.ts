// Private repositories with the real clients (issue 4): apt-get update and dnf makecache are refused
// without credentials, work with a repo:read token (apt auth.conf.d / the .repo file's username and
// password), and are refused again once the token is revoked. Afterwards: passwords and tokens are stored
// only as hashes and appear in no log line of the web app or the worker.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { createDnfEnv } from './support/dnf';
import { retryStaleConnections } from './support/fetch-retry';
import { buildRpm } from './support/rpm-builder';
import { requireTools } from './support/rpm-tools';
import { type RunningPallet, startPallet } from './support/server';
import { signInWithPassword } from './support/session';

const ORG = 'initech';
const REPO = 'private-tools';
const PASSWORD = 'initech owner password 1';
let pallet: RunningPallet;
let work: string;
let api: PalletClient;
const secrets: string[] = [PASSWORD];

async function readToken(name: string, customer?: string): Promise<{ id: string; token: string }> {
  const t = await api.createToken(ORG, { name, scopes: ['repo:read'], repos: [REPO], customer });
  secrets.push(t.token);
  return t;
}

async function saveKey(url: string, token: string, file: string): Promise<string> {
  const res = await fetch(url, {
    headers: { authorization: `Basic ${Buffer.from(`token:${token}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

beforeAll(async () => {
  retryStaleConnections();
  requireTools(['rpm', 'dnf']);
  // Debug logging, so that "no secret in any log line" covers as many lines as the app can write.
  pallet = await startPallet('private', { LOG_LEVEL: 'debug' });
  work = mkdtempSync(join(tmpdir(), 'pallet-private-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup('owner@initech.test', PASSWORD, ORG);
  secrets.push(signup.token);
  api = new PalletClient(pallet.baseUrl, signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'private', keyAlgorithm: 'rsa4096' });
  const deb = await api.uploadPackage(
    ORG,
    REPO,
    buildDeb(work, { name: 'private-hello', version: '1.0-1' }),
    {
      distribution: 'debian/bookworm',
    },
  );
  const rpmFile = buildRpm(work, { name: 'private-hello', version: '1.0', release: '1', arch: 'noarch' });
  const rpm = await api.uploadPackage(ORG, REPO, rpmFile, { distribution: 'el/9' });
  for (const id of [deb.data.id, rpm.data.id]) {
    const pkg = await api.waitForPackage(ORG, REPO, id, 60_000);
    expect(pkg.status, pkg.error).toBe('published');
  }
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a private deb repository with apt-get', () => {
  it('refuses apt-get update without credentials, accepts a read token, refuses it once revoked', async () => {
    const setup = await api.setup(ORG, REPO, 'debian/bookworm');
    expect(setup.apt?.authConf).toContain('password YOUR_READ_TOKEN');
    // A per-customer read token (an entitlement), limited to this repository.
    const token = await readToken('apt customer', 'Customer Ltd');
    const keyFile = await saveKey(setup.keyringUrl, token.token, join(work, 'apt-key.gpg'));
    const env = createAptEnv(join(work, 'apt'));
    env.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, keyFile));

    const anonymous = env.run('apt-get', ['update']);
    expect(problems(anonymous.output).length, anonymous.output).toBeGreaterThan(0);
    expect(anonymous.output).toMatch(/401|Unauthorized/);

    env.setAuth(setup.apt!.authConf!.replace('YOUR_READ_TOKEN', token.token));
    const allowed = env.run('apt-get', ['update']);
    expect(problems(allowed.output), allowed.output).toEqual([]);
    expect(allowed.code).toBe(0);
    expect(env.run('apt-cache', ['policy', 'private-hello']).output).toMatch(/Candidate: 1\.0-1/);

    expect(await api.revokeToken(ORG, token.id)).toBe(204);
    const revoked = createAptEnv(join(work, 'apt-revoked'));
    revoked.setSources(setup.apt!.sourcesLine.replace(setup.apt!.keyringPath, keyFile));
    revoked.setAuth(setup.apt!.authConf!.replace('YOUR_READ_TOKEN', token.token));
    const refused = revoked.run('apt-get', ['update']);
    expect(problems(refused.output).length, refused.output).toBeGreaterThan(0);
    expect(refused.output).toMatch(/401|Unauthorized/);
  });
});

describe('a private rpm repository with dnf', () => {
  it('refuses dnf makecache without credentials, accepts a read token, refuses it once revoked', async () => {
    const setup = await api.setup(ORG, REPO, 'el/9');
    const repoFile = setup.yum!.repoFile;
    expect(repoFile).toMatch(/^password=YOUR_READ_TOKEN$/m);
    const token = await readToken('dnf customer');
    const keyFile = await saveKey(setup.keyUrl, token.token, join(work, 'rpm-key.asc'));
    // The key is imported from a local file; the repository itself is what needs the credentials.
    const local = repoFile.replace(/^gpgkey=.*$/m, `gpgkey=file://${keyFile}`);
    const repoId = /^\[([^\]]+)\]/m.exec(repoFile)![1]!;
    const dnf = (name: string, file: string) =>
      createDnfEnv(join(work, name), { repoId, repoFile: file, keyFile, releasever: '9' });

    const withoutCreds = local.replace(/^username=.*\n/m, '').replace(/^password=.*\n/m, '');
    const anonymous = dnf('dnf-anonymous', withoutCreds).dnf(['makecache']);
    expect(anonymous.code, anonymous.output).not.toBe(0);

    const withToken = local.replace('YOUR_READ_TOKEN', token.token);
    const allowed = dnf('dnf-allowed', withToken).dnf(['makecache']);
    expect(allowed.code, allowed.output).toBe(0);
    const listed = dnf('dnf-list', withToken).dnf(['list', '--available', 'private-hello']);
    expect(listed.output).toMatch(/private-hello\.noarch\s+1\.0-1/);

    expect(await api.revokeToken(ORG, token.id)).toBe(204);
    const refused = dnf('dnf-revoked', withToken).dnf(['makecache']);
    expect(refused.code, refused.output).not.toBe(0);
  });
});

describe('secrets at rest and in logs', () => {
  it('stores passwords as argon2id and tokens as sha256 only, and prints neither in any log line', async () => {
    await signInWithPassword(pallet.baseUrl, 'owner@initech.test', PASSWORD);
    await signInWithPassword(pallet.baseUrl, 'owner@initech.test', 'a wrong password here');
    const db = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
    await db.connect();
    try {
      const user = await db.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User"`);
      expect(user.rows[0]!.passwordHash).toMatch(/^\$argon2id\$/);
      const tables = await db.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
      );
      let dump = '';
      for (const { tablename } of tables.rows) {
        const rows = await db.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t`);
        dump += rows.rows.map((r) => r.j).join('\n');
      }
      expect(dump).toContain('$argon2id$');
      for (const s of secrets) expect(dump.includes(s), 'a secret is stored in the clear').toBe(false);
    } finally {
      await db.end();
    }
    const logs = ['web.log', 'worker.log']
      .map((f) => readFileSync(join(pallet.instance.dir, f), 'utf8'))
      .join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const s of secrets) expect(logs.includes(s), 'a secret appeared in a log line').toBe(false);
  });
});
