// The CLI as users get it: `npm pack` of apps/cli installed into an empty folder with npm's network
// switched off (so it has no runtime dependency at all), then pushing a .deb and an .rpm to a running
// instance and telling each outcome apart by its exit code: published, failed, timed out, refused.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { buildRpm } from './support/rpm-builder';
import { type RunningPallet, startPallet } from './support/server';

const ROOT = join(import.meta.dirname, '..');
const ORG = 'acme';
const REPO = 'tools';

let pallet: RunningPallet;
let work: string;
let bin: string;
let token: string;
let api: PalletClient;

/** Runs the installed `pallet` the way a CI step does (no TTY: plain log lines). */
function pallet_(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(bin, args, {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: work,
      PALLET_URL: pallet.baseUrl,
      PALLET_TOKEN: token,
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-cli-'));
  const packed = spawnSync('npm', ['pack', '-w', '@pallet/cli', '--pack-destination', work, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(packed.status, packed.stderr).toBe(0);
  const tgz = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  const project = join(work, 'project');
  mkdirSync(project);
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tgz], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(work, 'npm-cache') },
  });
  expect(install.status, install.stderr).toBe(0);
  bin = join(project, 'node_modules/.bin/pallet');

  pallet = await startPallet('cli-package');
  api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('ci@cli.test', 'correct horse battery staple', ORG);
  token = signup.token;
  api = api.withToken(token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public' });
  // Packages named pallet-broken fail their ingest the way a broken signing step would: the worker's
  // index entry is refused and the package marked failed. pallet-stuck never gets through ingest.
  await sql(`
    CREATE FUNCTION test_break_ingest() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW."indexEntry" IS NOT NULL AND OLD."indexEntry" IS NULL THEN
        IF NEW.name = 'pallet-stuck' THEN RAISE EXCEPTION 'simulated storage outage'; END IF;
        IF NEW.name = 'pallet-broken' THEN
          NEW.status := 'FAILED'; NEW.error := 'simulated signing failure'; NEW."indexEntry" := NULL;
        END IF;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_break_ingest BEFORE UPDATE ON "Package" FOR EACH ROW EXECUTE FUNCTION test_break_ingest();`);
}, 240_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed CLI', () => {
  it('ships one bundled file and no dependencies', () => {
    const installed = join(work, 'project/node_modules/@pallet/cli');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(work, 'project/node_modules')).sort()).toEqual([
      '.bin',
      '.package-lock.json',
      '@pallet',
    ]);
    expect(readdirSync(join(installed, 'dist'))).toEqual(['pallet.js']);
  });

  it('prints its version', async () => {
    const r = await pallet_(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')).version);
  });

  it('pushes a .deb (by glob) and waits until it is published: exit 0', async () => {
    const dir = join(work, 'debs');
    mkdirSync(dir);
    buildDeb(dir, { name: 'pallet-hello', version: '1.0-1' });
    const r = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', `${dir}/*.deb`]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('uploading pallet-hello_1.0-1_all.deb');
    expect(r.out).toContain('published: pallet-hello 1.0-1 all');
    const listed = await api.listPackages(ORG, REPO, { q: 'pallet-hello' });
    expect(listed.items.map((p) => p.status)).toEqual(['published']);
  });

  it('pushes an .rpm with --json and reports it published: exit 0', async () => {
    const rpm = buildRpm(join(work, 'rpms'), {
      name: 'pallet-tool',
      version: '2.0',
      release: '1',
      arch: 'noarch',
    });
    const r = await pallet_(['push', `${ORG}/${REPO}`, 'el/9', rpm, '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.exitCode).toBe(0);
    expect(report.packages).toHaveLength(1);
    expect(report.packages[0]).toMatchObject({
      outcome: 'published',
      package: { name: 'pallet-tool', status: 'published' },
    });
  });

  it('tells a failed publication apart: exit 4 with the reason', async () => {
    const deb = buildDeb(join(work, 'broken'), { name: 'pallet-broken', version: '1.0-1' });
    const r = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', deb]);
    expect(r.code, r.out + r.err).toBe(4);
    expect(r.err).toContain('failed: pallet-broken 1.0-1 all — simulated signing failure');
  });

  it('gives up waiting after --timeout: exit 5', async () => {
    const deb = buildDeb(join(work, 'stuck'), { name: 'pallet-stuck', version: '1.0-1' });
    const r = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', deb, '--timeout', '2s']);
    expect(r.code, r.out + r.err).toBe(5);
    expect(r.err).toContain('timeout: pallet-stuck 1.0-1 all still processing');
  });

  it('refuses bad credentials with exit 2 and a conflicting upload with exit 3', async () => {
    const deb = buildDeb(join(work, 'other'), {
      name: 'pallet-hello',
      version: '1.0-1',
      body: 'other bytes\n',
    });
    const denied = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', deb], {
      PALLET_TOKEN: 'plt_wrong',
    });
    expect(denied.code, denied.err).toBe(2);
    const conflict = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', deb]);
    expect(conflict.code, conflict.err).toBe(3);
    expect(conflict.err).toMatch(/refused: .* 409/);
    const usage = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', join(work, 'none/*.deb')]);
    expect(usage.code, usage.err).toBe(1);
    expect(usage.err).toContain('no file matches');
  });

  it('manages keys, freezes a distribution (a push then exits 3) and gates on vulnerabilities', async () => {
    const listed = await pallet_(['keys', `${ORG}/${REPO}`, '--json']);
    expect(listed.code, listed.err).toBe(0);
    const before = JSON.parse(listed.out) as { fingerprint: string; status: string }[];
    expect(before.filter((k) => k.status === 'active')).toHaveLength(1);
    const rotated = await pallet_(['keys', 'rotate', `${ORG}/${REPO}`, '--algorithm', 'ed25519']);
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toMatch(/^rotated: new active key active\ted25519\t/);
    const after = await pallet_(['keys', `${ORG}/${REPO}`]);
    expect(after.out).toContain(`retiring\t`);

    expect((await pallet_(['freeze', `${ORG}/${REPO}`, 'debian/bookworm'])).out).toMatch(
      /debian\/bookworm\tfrozen/,
    );
    const deb = buildDeb(join(work, 'frozen'), { name: 'pallet-late', version: '1.0-1' });
    const refused = await pallet_(['push', `${ORG}/${REPO}`, 'debian/bookworm', deb]);
    expect(refused.code, refused.err).toBe(3);
    expect(refused.err).toContain('423');
    expect((await pallet_(['unfreeze', `${ORG}/${REPO}`, 'debian/bookworm'])).code).toBe(0);
    const dists = await pallet_(['distributions', `${ORG}/${REPO}`]);
    expect(dists.out).toMatch(/debian\/bookworm\tdeb\topen/);

    const vulns = await pallet_(['vulnerabilities', `${ORG}/${REPO}`, '--fail-on', 'low', '--json']);
    expect(vulns.code, vulns.err).toBe(0);
    expect(JSON.parse(vulns.out).items).toEqual([]);
  });
});
