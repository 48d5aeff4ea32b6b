// `overwrite=true` from a second machine's point of view: apt behind a caching proxy that keeps what
// the server marks immutable (as every CDN and apt-cacher does). New bytes must arrive under a new
// name, so the cached old bytes are never offered for the new index: no Hash Sum mismatch. Every URL
// a client has seen keeps its bytes, for .debs and for (re-signed) .rpms, across deletion too.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAptEnv, problems } from './support/apt';
import { startCachingProxy } from './support/caching-proxy';
import { buildDeb } from './support/deb-builder';
import { buildRpm } from './support/rpm-builder';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'rewrite';
const REPO = 'tools';

let pallet: RunningPallet;
let work: string;
let api: PalletClient;
let proxy: { url: string; stop(): void };
/** Every URL fetched in this file and the sha256 of the bytes it answered with. */
const seen = new Map<string, string>();

function sha256(bytes: Uint8Array) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Fetches a repository file, checking it never answers two different contents. */
async function fetchFile(url: string): Promise<{ status: number; sha256?: string }> {
  const res = await fetch(url);
  if (res.status !== 200) return { status: res.status };
  const digest = sha256(Buffer.from(await res.arrayBuffer()));
  const before = seen.get(url);
  if (before) expect(digest, `${url} changed its bytes`).toBe(before);
  seen.set(url, digest);
  return { status: 200, sha256: digest };
}

async function uploadAndPublish(file: string, distribution: string, overwrite = false) {
  const up = await api.uploadPackage(ORG, REPO, file, { distribution, overwrite });
  const pkg = await api.waitForPackage(ORG, REPO, up.data.id, 60_000);
  expect(pkg.status).toBe('published');
  return pkg;
}

beforeAll(async () => {
  pallet = await startPallet('overwrite');
  work = mkdtempSync(join(tmpdir(), 'pallet-overwrite-e2e-'));
  proxy = await startCachingProxy();
  api = new PalletClient(pallet.baseUrl);
  const signup = await api.signup('owner@rewrite.test', 'correct horse battery staple', ORG);
  api = api.withToken(signup.token);
  await api.createRepository(ORG, { name: REPO, visibility: 'public' });
}, 120_000);

afterAll(async () => {
  proxy?.stop();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('overwrite gives new bytes a new name', () => {
  it('lets apt behind a caching proxy install the overwritten .deb without a hash mismatch', async () => {
    const first = buildDeb(join(work, 'a'), { name: 'rewritten', version: '1.0-1', body: 'first build\n' });
    const second = buildDeb(join(work, 'b'), { name: 'rewritten', version: '1.0-1', body: 'second build\n' });
    expect(sha256(readFileSync(first))).not.toBe(sha256(readFileSync(second)));
    const setup = await api.setup(ORG, REPO, 'debian/bookworm').catch(() => null);
    const a = await uploadAndPublish(first, 'debian/bookworm');
    const info = setup ?? (await api.setup(ORG, REPO, 'debian/bookworm'));
    const keyFile = join(work, 'key.gpg');
    writeFileSync(keyFile, Buffer.from(await (await fetch(info.keyringUrl)).arrayBuffer()));
    const env = createAptEnv(join(work, 'apt'));
    writeFileSync(join(env.dir, 'etc/apt.conf.d/proxy.conf'), `Acquire::http::Proxy "${proxy.url}";\n`);
    env.setSources(info.apt!.sourcesLine.replace(/signed-by=[^\]]+/, `signed-by=${keyFile}`));

    expect(problems(env.run('apt-get', ['update']).output)).toEqual([]);
    const got = env.run('apt-get', ['download', 'rewritten']);
    expect(got.code, got.output).toBe(0);
    const oldUrl = `${info.baseUrl}/${a.filename}`;
    expect((await fetchFile(oldUrl)).sha256).toBe(sha256(readFileSync(first)));

    const b = await uploadAndPublish(second, 'debian/bookworm', true);
    expect(b.id).toBe(a.id);
    expect(b.filename).not.toBe(a.filename);
    const update = env.run('apt-get', ['update']);
    expect(problems(update.output)).toEqual([]);
    rmSync(join(env.dir, 'download/rewritten_1.0-1_all.deb'), { force: true });
    const again = env.run('apt-get', ['download', 'rewritten']);
    expect(again.output).not.toMatch(/Hash Sum mismatch/);
    expect(again.code, again.output).toBe(0);
    const downloaded = readdirSync(join(env.dir, 'download')).filter((f) => f.endsWith('.deb'));
    expect(downloaded).toEqual(['rewritten_1.0-1_all.deb']);
    expect(sha256(readFileSync(join(env.dir, 'download', downloaded[0]!)))).toBe(
      sha256(readFileSync(second)),
    );
    expect((await fetchFile(`${info.baseUrl}/${b.filename}`)).sha256).toBe(sha256(readFileSync(second)));
    // The old name never answers with the new bytes; for the retention period it keeps its own, so a
    // machine that read the previous index just before the overwrite can still install.
    expect((await fetchFile(oldUrl)).sha256).toBe(sha256(readFileSync(first)));
  });

  it('keeps a name with its bytes across deletion and re-upload of other bytes', async () => {
    const first = buildDeb(join(work, 'c'), { name: 'reborn', version: '2.0-1', body: 'one\n' });
    const second = buildDeb(join(work, 'd'), { name: 'reborn', version: '2.0-1', body: 'two\n' });
    const a = await uploadAndPublish(first, 'debian/bookworm');
    const base = `${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/debian`;
    await fetchFile(`${base}/${a.filename}`);
    expect(await api.deletePackage(ORG, REPO, a.id)).toBe(202);
    const b = await uploadAndPublish(second, 'debian/bookworm');
    expect(b.filename).not.toBe(a.filename);
    await fetchFile(`${base}/${a.filename}`);
    expect((await fetchFile(`${base}/${b.filename}`)).sha256).toBe(sha256(readFileSync(second)));
  });

  it('serves an overwritten .rpm under a new location and a re-uploaded one with the same signed bytes', async () => {
    const spec = { name: 'rewritten', version: '1.0', release: '1', arch: 'noarch' as const };
    const first = buildRpm(join(work, 'e'), { ...spec, body: 'first rpm' });
    const second = buildRpm(join(work, 'f'), { ...spec, body: 'second rpm' });
    const base = `${pallet.baseUrl}/dl/${ORG}/${REPO}/rpm/el/9`;
    const a = await uploadAndPublish(first, 'el/9');
    const signedA = await fetchFile(`${base}/${a.filename}`);
    expect(signedA.status).toBe(200);
    const b = await uploadAndPublish(second, 'el/9', true);
    expect(b.filename).not.toBe(a.filename);
    expect((await fetchFile(`${base}/${b.filename}`)).status).toBe(200);
    expect((await fetchFile(`${base}/${a.filename}`)).sha256).toBe(signedA.sha256);
    // Back to the first bytes (overwrite again): the first name, with exactly the bytes it served.
    const back = await uploadAndPublish(first, 'el/9', true);
    expect(back.filename).toBe(a.filename);
    expect((await fetchFile(`${base}/${a.filename}`)).sha256).toBe(signedA.sha256);
  });
});
