import { describe, expect, it } from 'vitest';
import { parseCopyrightLicenses } from './copyright';
import { parseDeb } from './parse-deb';
import { chunked, fixture, handmadeDeb, tarOfEntries } from './testing/deb-builders';

const DEP5 = [
  'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
  'Upstream-Name: pallet-test',
  '',
  'Files: *',
  'Copyright: 2024 Someone',
  'License: GPL-2+ or Artistic-1.0, and BSD-3-clause',
  '',
  '# a comment line',
  'Files: debian/*',
  'Copyright: 2024 Someone Else',
  'License: Expat',
  ' Permission is hereby granted...',
  '',
  'Files: doc/*',
  'License: Expat',
  '',
  'License: Expat',
  ' The text of the Expat license.',
  '',
].join('\n');

describe('parseCopyrightLicenses', () => {
  it('lists the License lines of the header and Files paragraphs once each, in order', () => {
    expect(parseCopyrightLicenses(DEP5)).toEqual(['GPL-2+ or Artistic-1.0, and BSD-3-clause', 'Expat']);
  });

  it('reads a License on the header paragraph as the whole package license', () => {
    const text = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nLicense: MIT\n';
    expect(parseCopyrightLicenses(text)).toEqual(['MIT']);
  });

  it('returns undefined for a free-form copyright file', () => {
    expect(parseCopyrightLicenses('This is hello, written by...\n\nLicense: GPL-3+\n')).toBeUndefined();
  });
});

describe('parseDeb picks out usr/share/doc/<package>/copyright', () => {
  it('reads the DEP-5 licenses of a real Debian package (libbz2-1.0)', async () => {
    const pkg = await parseDeb(chunked(fixture('libbz2-1.0_1.0.8-5+b1_amd64.deb'), 4096));
    expect(pkg.copyrightLicenses).toEqual(['BSD-variant', 'GPL-2']);
  });

  it('leaves them out for a free-form copyright file (hello)', async () => {
    const pkg = await parseDeb(chunked(fixture('hello_2.10-3_amd64.deb'), 4096));
    expect(pkg.copyrightLicenses).toBeUndefined();
  });

  it('reads the file of this package only, as a regular file, the last copy winning', async () => {
    const data = await tarOfEntries([
      { name: './usr/share/doc/other/copyright', content: DEP5.replace('Expat', 'ISC') },
      { name: './usr/share/doc/pallet-test/copyright', content: 'free form\n' },
      { name: './usr/share/doc/pallet-test/copyright', content: DEP5 },
    ]);
    const pkg = await parseDeb(chunked(await handmadeDeb({ data }), 100));
    expect(pkg.copyrightLicenses).toEqual(['GPL-2+ or Artistic-1.0, and BSD-3-clause', 'Expat']);
  });

  it('ignores a copyright symlink and a copyright file that is not UTF-8', async () => {
    const link = await tarOfEntries([
      { name: './usr/share/doc/pallet-test/copyright', type: 'symlink', linkname: '../other/copyright' },
    ]);
    expect(
      (await parseDeb(chunked(await handmadeDeb({ data: link }), 100))).copyrightLicenses,
    ).toBeUndefined();
    const latin1 = await tarOfEntries([
      {
        name: './usr/share/doc/pallet-test/copyright',
        content: Buffer.concat([Buffer.from(DEP5), Buffer.from([0xe9, 0x0a])]),
      },
    ]);
    expect(
      (await parseDeb(chunked(await handmadeDeb({ data: latin1 }), 100))).copyrightLicenses,
    ).toBeUndefined();
  });
});
