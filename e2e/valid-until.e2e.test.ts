// Valid-Until with the real apt: a distribution with validDays carries `Valid-Until: Date + validDays`,
// the worker's validUntil job re-signs it before it lapses, so apt talking to the repository keeps
// verifying across several validity periods, while apt behind a mirror that froze the first InRelease
// is refused once that copy's Valid-Until has passed. Runs with PALLET_VALID_UNTIL_UNIT_SECONDS=1
// (a "day" of validDays lasts one second) and the upkeep jobs every second.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAptEnv, problems } from './support/apt';
import { buildDeb } from './support/deb-builder';
import { retryStaleConnections } from './support/fetch-retry';
import { type RunningPallet, startPallet } from './support/server';

retryStaleConnections();

const ORG = 'fresh';
const REPO = 'apt';
const VALID_SECONDS = 24;
let pallet: RunningPallet;
let work: string;
let frozenMirror: http.Server;

/** A mirror that fetched everything once and serves those bytes forever (a stale or replaying mirror). */
async function startFrozenMirror(origin: string): Promise<string> {
  const cache = new Map<string, { status: number; headers: http.IncomingHttpHeaders; body: Buffer }>();
  frozenMirror = http.createServer((req, res) => {
    const hit = cache.get(req.url ?? '');
    if (hit) {
      res.writeHead(hit.status, hit.headers);
      res.end(hit.body);
      return;
    }
    const upstream = http.get(`${origin}${req.url}`, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const entry = { status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(chunks) };
        if (entry.status === 200) cache.set(req.url ?? '', entry);
        res.writeHead(entry.status, entry.headers);
        res.end(entry.body);
      });
    });
    upstream.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve) => frozenMirror.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(frozenMirror.address() as AddressInfo).port}`;
}

const field = (release: string, name: string) => {
  const value = new RegExp(`^${name}: (.+)$`, 'm').exec(release)?.[1];
  return value ? Date.parse(value.replace(' UTC', ' GMT')) : Number.NaN;
};

async function inRelease(): Promise<string> {
  return (await fetch(`${pallet.baseUrl}/dl/${ORG}/${REPO}/deb/debian/dists/bookworm/InRelease`)).text();
}

async function sleepUntil(time: number) {
  const wait = time - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

beforeAll(async () => {
  pallet = await startPallet('valid-until', {
    PALLET_VALID_UNTIL_UNIT_SECONDS: '1',
    PALLET_KEY_CHECK_INTERVAL: '1s',
  });
  work = mkdtempSync(join(tmpdir(), 'pallet-valid-until-e2e-'));
}, 120_000);

afterAll(async () => {
  frozenMirror?.close();
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Valid-Until with automatic re-signing, end to end with apt-get', () => {
  it('stays verifiable across several validity periods; a frozen copy is refused once it lapses', async () => {
    const signup = await new PalletClient(pallet.baseUrl).signup(
      'owner@fresh.test',
      'correct horse battery',
      ORG,
    );
    const api = new PalletClient(pallet.baseUrl).withToken(signup.token);
    await api.createRepository(ORG, { name: REPO, visibility: 'public' });
    const deb = buildDeb(work, { name: 'fresh-hello', version: '1.0-1' });
    const upload = await api.uploadPackage(ORG, REPO, deb, { distribution: 'debian/bookworm' });
    expect((await api.waitForPackage(ORG, REPO, upload.data.id)).status).toBe('published');
    expect(await inRelease()).not.toMatch(/^Valid-Until:/m);

    const patch = await fetch(
      `${pallet.baseUrl}/api/v1/orgs/${ORG}/repos/${REPO}/distributions/debian/bookworm`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${signup.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ validDays: VALID_SECONDS }),
      },
    );
    expect(patch.status, await patch.clone().text()).toBe(200);
    // Setting validDays republishes at once: Valid-Until = Date + validDays.
    let first = await inRelease();
    for (let i = 0; i < 100 && !/^Valid-Until:/m.test(first); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      first = await inRelease();
    }
    expect(field(first, 'Valid-Until') - field(first, 'Date')).toBe(VALID_SECONDS * 1000);

    const setup = await api.setup(ORG, REPO, 'debian/bookworm');
    const keyring = join(work, 'keyring.gpg');
    writeFileSync(keyring, Buffer.from(await (await fetch(setup.keyringUrl)).arrayBuffer()));
    const sources = (base: string) =>
      setup
        .apt!.sourcesLine.replace(/signed-by=[^\]]+/, `signed-by=${keyring}`)
        .replace(pallet.baseUrl, base);
    const live = createAptEnv(join(work, 'live'));
    live.setSources(sources(pallet.baseUrl));
    const frozen = createAptEnv(join(work, 'frozen'));
    frozen.setSources(sources(await startFrozenMirror(pallet.baseUrl)));
    for (const env of [live, frozen]) {
      const update = await env.runAsync('apt-get', ['update']);
      expect(problems(update.output), update.output).toEqual([]);
      expect(update.code).toBe(0);
    }
    const frozenUntil = field(first, 'Valid-Until');

    // Past the frozen copy's Valid-Until: the live repository was re-signed meanwhile, the mirror was not.
    await sleepUntil(frozenUntil + 1500);
    const second = await inRelease();
    expect(field(second, 'Valid-Until')).toBeGreaterThan(Date.now());
    const liveUpdate = await live.runAsync('apt-get', ['update']);
    expect(problems(liveUpdate.output)).toEqual([]);
    expect(liveUpdate.code).toBe(0);
    const frozenUpdate = await frozen.runAsync('apt-get', ['update']);
    expect(frozenUpdate.code).not.toBe(0);
    expect(frozenUpdate.output).toMatch(/Release file for .* is expired \(invalid since/);

    // And once more, a whole validity period later.
    await sleepUntil(field(second, 'Valid-Until') + 1500);
    const third = await inRelease();
    expect(field(third, 'Date')).toBeGreaterThan(field(second, 'Date'));
    const again = await live.runAsync('apt-get', ['update']);
    expect(problems(again.output)).toEqual([]);
    expect(again.code).toBe(0);
    const install = await live.runAsync('apt-get', ['download', 'fresh-hello']);
    expect(install.code, install.output).toBe(0);
  }, 180_000);
});
