// Issue 9, item 9 (and the .deb part of item 3) through HTTP: packages whose metadata lies — an rpm
// NAME that is a path, a .deb whose control member dpkg reads differently, control fields with NUL
// or escape codes, a data member that is not what its compression claims, a decompression bomb —
// are each answered 422 invalid_package, promptly, with one sentence, and nothing is stored.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PalletClient } from '@pallet/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arArchive,
  HELLO_CONTROL,
  handmadeDeb,
  tarOf,
  tarOfEntries,
} from '../packages/deb/src/testing/deb-builders';
import { Tag } from '../packages/rpm/src/tags';
import { BASIC_MAIN, str, synthRpm } from '../packages/rpm/src/test-support/synthetic-rpm';
import { buildDeb } from './support/deb-builder';
import { type RunningPallet, startPallet } from './support/server';

const ORG = 'validation';
const REPO = 'uploads';
const BOMB_FLOOR = 4 * 1024 * 1024;
let pallet: RunningPallet;
let work: string;
let token: string;

beforeAll(async () => {
  pallet = await startPallet('upload-validation', {
    PALLET_DEB_DATA_BOMB_FLOOR_BYTES: String(BOMB_FLOOR),
    PALLET_DEB_DATA_MAX_RATIO: '50',
  });
  work = mkdtempSync(join(tmpdir(), 'pallet-validation-e2e-'));
  const signup = await new PalletClient(pallet.baseUrl).signup(
    'owner@validation.test',
    'validation pw 123',
    ORG,
  );
  token = signup.token;
  await new PalletClient(pallet.baseUrl, token).createRepository(ORG, { name: REPO, visibility: 'public' });
}, 180_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function upload(bytes: Uint8Array, filename: string, distribution: string) {
  const form = new FormData();
  form.set('distribution', distribution);
  form.set('file', new Blob([Buffer.from(bytes)]), filename);
  const started = Date.now();
  const res = await fetch(`${pallet.baseUrl}/api/v1/orgs/${ORG}/repos/${REPO}/packages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, body, ms: Date.now() - started };
}

async function expectRefused(bytes: Uint8Array, filename: string, distribution: string, message: RegExp) {
  const answer = await upload(bytes, filename, distribution);
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  expect(answer.body.error?.code).toBe('invalid_package');
  const text = answer.body.error?.message ?? '';
  expect(text).toMatch(message);
  // One human sentence: no stack trace, no raw control characters echoed back.
  for (const raw of ['\n', '\u001b', '\0']) expect(text).not.toContain(raw);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(answer.ms).toBeLessThan(10_000);
}

function withRpmValue(tag: number, value: string): Uint8Array {
  return synthRpm(BASIC_MAIN.map((entry) => (entry.tag === tag ? str(tag, value) : entry)));
}

/** A deb of ~6 MiB whose data.tar.gz (incompressible content) has bytes flipped at `where` (0..1). */
function damagedBigDeb(where: number): Buffer {
  const dir = join(work, `big-${where}`);
  mkdirSync(join(dir, 'DEBIAN'), { recursive: true });
  mkdirSync(join(dir, 'usr/share/big'), { recursive: true });
  writeFileSync(join(dir, 'usr/share/big/blob'), randomBytes(6 * 1024 * 1024));
  writeFileSync(join(dir, 'DEBIAN/control'), HELLO_CONTROL);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', dir, `${dir}.deb`], {
    stdio: 'ignore',
  });
  const deb = readFileSync(`${dir}.deb`);
  const dataHeader = deb.indexOf('data.tar.gz');
  const dataStart = dataHeader + 60;
  const at = dataStart + Math.floor((deb.length - dataStart) * where);
  for (let index = at; index < at + 4; index++) deb[index] = (deb[index] ?? 0) ^ 0xa5;
  return deb;
}

describe('uploads whose metadata lies are refused with 422 and store nothing', () => {
  let storedBefore: string[];

  beforeAll(async () => {
    storedBefore = await pallet.storage.list('');
  });

  it('refuses rpm NAME, VERSION, RELEASE and ARCH values that are paths or hold control characters', async () => {
    const cases: Array<[number, string]> = [
      [Tag.NAME, '../../pwn'],
      [Tag.NAME, 'pwn\nx'],
      [Tag.NAME, 'pwn\u001b[2J'],
      [Tag.NAME, 'pwn x'],
      [Tag.VERSION, '1.0-1'],
      [Tag.RELEASE, '1/../../x'],
      [Tag.ARCH, 'x86_64/../..'],
    ];
    for (const [tag, value] of cases) {
      await expectRefused(
        withRpmValue(tag, value),
        'evil.rpm',
        'el/9',
        /^The package (NAME|VERSION|RELEASE|ARCH) /,
      );
    }
  });

  it('refuses a .deb holding both ./control and control, which dpkg-deb would read differently', async () => {
    const controlTar = await tarOfEntries([
      { name: './control', content: HELLO_CONTROL },
      { name: 'control', content: HELLO_CONTROL.replace('pallet-test', 'pallet-other') },
    ]);
    const deb = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar.gz', data: gzipSync(controlTar) },
      { name: 'data.tar.gz', data: gzipSync(await tarOf({ './usr/share/doc/x/README': 'hi\n' })) },
    ]);
    await expectRefused(deb, 'two-controls.deb', 'debian/bookworm', /control file more than once/);
  });

  it('refuses .deb control fields with NUL, escape codes, duplicates or injected stanzas', async () => {
    const controls: Array<[string, RegExp]> = [
      [HELLO_CONTROL.replace('a test package', 'a test\0package'), /control character U\+0000/],
      [HELLO_CONTROL.replace('Maintainer:', 'Main\0tainer:'), /control character U\+0000/],
      [HELLO_CONTROL.replace('a test package', 'a \u001b[31mred\u001b[0m package'), /U\+001B/],
      [`${HELLO_CONTROL}Package: evil\n`, /duplicate field Package/],
      [HELLO_CONTROL.replace(' Longer text.', ' \nPackage: evil'), /more than one stanza/],
      [HELLO_CONTROL.replace('pallet-test', 'Pallet Test'), /not a valid package name/],
      [HELLO_CONTROL.replace('1.0-1', '1.0-1:2'), /not valid/],
      [HELLO_CONTROL.replace('amd64', '../amd64'), /Architecture/],
    ];
    for (const [control, message] of controls) {
      await expectRefused(await handmadeDeb({ control }), 'lying.deb', 'debian/bookworm', message);
    }
  });

  it('refuses data members that do not decompress to a valid tar', async () => {
    const notTar = gzipSync(Buffer.alloc(8192, 0x41));
    await expectRefused(
      await handmadeDeb({ dataName: 'data.tar.gz', data: notTar }),
      'not-tar.deb',
      'debian/bookworm',
      /data.tar.gz is not a valid tar archive/,
    );
    const zst = execFileSync('zstd', ['-q', '-c', '--check'], {
      input: await tarOf({ './usr/share/x/blob': randomBytes(300_000) }),
    });
    zst[zst.length >> 1] = (zst[zst.length >> 1] ?? 0) ^ 0x01;
    await expectRefused(
      await handmadeDeb({ dataName: 'data.tar.zst', data: zst }),
      'bad-checksum.deb',
      'debian/bookworm',
      /data.tar.zst does not match its zstd checksum/,
    );
    const xzHoldingGzip = gzipSync(await tarOf({ a: 'b' }));
    await expectRefused(
      await handmadeDeb({ dataName: 'data.tar.xz', data: xzHoldingGzip }),
      'wrong-compression.deb',
      'debian/bookworm',
      /data.tar.xz does not contain xz data/,
    );
  });

  it('refuses a 6 MiB .deb damaged inside its data member, answering while the body streams', async () => {
    for (const where of [0.5, 0.98]) {
      await expectRefused(damagedBigDeb(where), 'damaged.deb', 'debian/bookworm', /data.tar.gz/);
    }
  });

  it('refuses a decompression bomb in the data member', async () => {
    const bomb = execFileSync('bash', ['-c', 'head -c 67108864 /dev/zero | gzip -9 -c'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    await expectRefused(
      await handmadeDeb({ dataName: 'data.tar.gz', data: bomb }),
      'bomb.deb',
      'debian/bookworm',
      /decompression bomb/,
    );
  });

  it('stored nothing for any refused upload, and a valid package is still accepted', async () => {
    expect(await pallet.storage.list('')).toEqual(storedBefore);
    const api = new PalletClient(pallet.baseUrl, token);
    expect((await api.listPackages(ORG, REPO)).total).toBe(0);
    const good = buildDeb(work, { name: 'pallet-good', version: '1.0-1' });
    const answer = await upload(readFileSync(good), 'pallet-good.deb', 'debian/bookworm');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  });
});
