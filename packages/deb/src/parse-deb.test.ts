import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDeb822Stanza, getField } from './deb822';
import { parseDeb } from './parse-deb';
import {
  arArchive,
  buildDebWithDpkg,
  chunked,
  type DpkgCompression,
  dpkgDebFields,
  FIXTURES,
  fixture,
  HELLO_CONTROL,
  handmadeDeb,
  makeTempDir,
  tarOf,
} from './testing/deb-builders';

const REAL_DEBS = [
  { file: 'hello_2.10-3_amd64.deb', name: 'hello', version: '2.10-3', architecture: 'amd64' },
  {
    file: 'debian-archive-keyring_2023.3+deb12u2_all.deb',
    name: 'debian-archive-keyring',
    version: '2023.3+deb12u2',
    architecture: 'all',
  },
  {
    file: 'libbz2-1.0_1.0.8-5+b1_amd64.deb',
    name: 'libbz2-1.0',
    version: '1.0.8-5+b1',
    architecture: 'amd64',
  },
];

describe('parseDeb on real Debian packages', () => {
  for (const real of REAL_DEBS) {
    it(`reads ${real.file} exactly as dpkg-deb -f does`, async () => {
      const path = join(FIXTURES, real.file);
      const pkg = await parseDeb(createReadStream(path, { highWaterMark: 4096 }));
      expect(pkg).toMatchObject({
        name: real.name,
        version: real.version,
        architecture: real.architecture,
        controlCompression: 'xz',
        dataCompression: 'xz',
      });
      expect(formatDeb822Stanza(pkg.fields)).toBe(dpkgDebFields(path));
      expect(pkg.installedSize).toBe(Number(getField(pkg.fields, 'Installed-Size')));
    });
  }

  it('splits a binNMU Source field into name and version', async () => {
    const pkg = await parseDeb(chunked(fixture('libbz2-1.0_1.0.8-5+b1_amd64.deb'), 1000));
    expect(pkg.source).toBe('bzip2');
    expect(pkg.sourceVersion).toBe('1.0.8-5');
  });

  it('keeps the multi-line Description verbatim', async () => {
    const pkg = await parseDeb(chunked(fixture('hello_2.10-3_amd64.deb'), 513));
    expect(pkg.description?.split('\n')[0]).toBe('example package based on GNU hello');
    expect(pkg.description).toContain('\n .\n Seriously, though');
  });

  it('gives the same result whatever the chunk size', async () => {
    const bytes = fixture('hello_2.10-3_amd64.deb');
    const whole = await parseDeb(chunked(bytes, bytes.length));
    const bytewise = await parseDeb(chunked(bytes, 1));
    expect(bytewise).toEqual(whole);
  });

  it('consumes the whole input', async () => {
    const bytes = fixture('hello_2.10-3_amd64.deb');
    let seen = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunked(bytes, 4096)) {
        seen += chunk.length;
        yield chunk;
      }
    }
    await parseDeb(counting());
    expect(seen).toBe(bytes.length);
  });
});

describe('parseDeb on packages built by dpkg-deb', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);
  const longDescription = Array.from({ length: 40 }, (_, i) => ` Line ${i} of a long description.`).join(
    '\n',
  );
  const control = [
    'Package: pallet-test',
    'Version: 2:1.2.3~rc1+dfsg-0.1',
    'Architecture: all',
    'Maintainer: Jörg Müller 山田 <joerg@example.org>',
    'Installed-Size: 42',
    'Depends: libc6 (>= 2.34), foo | bar',
    'X-Custom-Field: kept',
    'Description: a package built by the test',
    `${longDescription}\n .\n Last paragraph.`,
    '',
  ].join('\n');

  for (const compression of ['gzip', 'xz', 'zstd', 'none'] as DpkgCompression[]) {
    it(`reads a -Z${compression} package`, async () => {
      const bytes = buildDebWithDpkg(temp.dir, control, compression);
      const pkg = await parseDeb(chunked(bytes, 1024));
      expect(pkg).toMatchObject({
        name: 'pallet-test',
        version: '2:1.2.3~rc1+dfsg-0.1',
        architecture: 'all',
        installedSize: 42,
        controlCompression: compression,
        dataCompression: compression,
      });
      expect(getField(pkg.fields, 'Maintainer')).toBe('Jörg Müller 山田 <joerg@example.org>');
      expect(formatDeb822Stanza(pkg.fields)).toBe(control);
    });
  }
});

describe('parseDeb tolerates what deb(5) allows', () => {
  it('ignores members after data.tar', async () => {
    const bytes = await handmadeDeb({ extra: [{ name: 'zz-extra', data: Buffer.from('odd') }] });
    const pkg = await parseDeb(chunked(bytes));
    expect(pkg.name).toBe('pallet-test');
  });

  it('accepts extra lines in debian-binary, _-members and a control entry without ./', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\nsomething else\n') },
      { name: '_gpgorigin', data: Buffer.from('signature') },
      { name: 'control.tar', data: await tarOf({ control: HELLO_CONTROL, md5sums: '' }) },
      { name: 'data.tar', data: await tarOf({ 'a/b': 'x' }) },
    ]);
    const pkg = await parseDeb(chunked(bytes));
    expect(pkg.version).toBe('1.0-1');
    expect(pkg.controlCompression).toBe('none');
  });
});
