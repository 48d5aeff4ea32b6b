import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DebField, parseDeb822, parseDeb822Stanza } from './deb822';
import { type ArchiveFileInfo, buildPackagesIndex, buildPackagesStanza } from './packages-index';
import { parseDeb } from './parse-deb';
import { chunked, FIXTURES, fixture, makeTempDir } from './testing/deb-builders';

function archiveOf(bytes: Uint8Array, filename: string): ArchiveFileInfo {
  const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return {
    filename,
    size: bytes.length,
    md5: hex('md5'),
    sha1: hex('sha1'),
    sha256: hex('sha256'),
    sha512: hex('sha512'),
  };
}

const ZERO_ARCHIVE: ArchiveFileInfo = {
  filename: 'pool/main/a/a/a_1_all.deb',
  size: 10,
  md5: '0'.repeat(32),
  sha1: '1'.repeat(40),
  sha256: '2'.repeat(64),
  sha512: '3'.repeat(128),
};

describe('buildPackagesStanza', () => {
  it('writes fields in apt tagfile order with unknown fields last, in file order', () => {
    const fields: DebField[] = [
      ['Description', 'synopsis\n long'],
      ['X-Zeta', 'z'],
      ['Version', '1.0'],
      ['Depends', 'libc6'],
      ['X-Alpha', 'a'],
      ['Package', 'a'],
      ['Architecture', 'all'],
      ['Maintainer', 'M <m@example.org>'],
    ];
    expect(buildPackagesStanza({ fields }, ZERO_ARCHIVE)).toBe(
      [
        'Package: a',
        'Architecture: all',
        'Version: 1.0',
        'Maintainer: M <m@example.org>',
        'Depends: libc6',
        'Filename: pool/main/a/a/a_1_all.deb',
        'Size: 10',
        `MD5sum: ${'0'.repeat(32)}`,
        `SHA1: ${'1'.repeat(40)}`,
        `SHA256: ${'2'.repeat(64)}`,
        `SHA512: ${'3'.repeat(128)}`,
        'Description: synopsis',
        ' long',
        'X-Zeta: z',
        'X-Alpha: a',
        '',
      ].join('\n'),
    );
  });

  it('replaces archive fields smuggled into the control file', () => {
    const fields: DebField[] = [
      ['Package', 'a'],
      ['filename', '../../etc/passwd'],
      ['Size', '1'],
      ['MD5Sum', 'bad'],
      ['SHA256', 'bad'],
    ];
    const stanza = parseDeb822Stanza(buildPackagesStanza({ fields }, ZERO_ARCHIVE));
    expect(stanza.filter(([name]) => /filename|size|md5sum|sha/i.test(name))).toEqual([
      ['Filename', ZERO_ARCHIVE.filename],
      ['Size', '10'],
      ['MD5sum', ZERO_ARCHIVE.md5],
      ['SHA1', ZERO_ARCHIVE.sha1],
      ['SHA256', ZERO_ARCHIVE.sha256],
      ['SHA512', ZERO_ARCHIVE.sha512],
    ]);
  });

  it('refuses bad archive values', () => {
    const fields: DebField[] = [['Package', 'a']];
    expect(() => buildPackagesStanza({ fields }, { ...ZERO_ARCHIVE, filename: '/abs.deb' })).toThrow(
      TypeError,
    );
    expect(() => buildPackagesStanza({ fields }, { ...ZERO_ARCHIVE, filename: 'a/../b.deb' })).toThrow(
      TypeError,
    );
    expect(() => buildPackagesStanza({ fields }, { ...ZERO_ARCHIVE, filename: 'a b.deb' })).toThrow(
      TypeError,
    );
    expect(() => buildPackagesStanza({ fields }, { ...ZERO_ARCHIVE, sha256: 'ABC' })).toThrow(TypeError);
    expect(() => buildPackagesStanza({ fields }, { ...ZERO_ARCHIVE, size: -1 })).toThrow(TypeError);
  });
});

describe('buildPackagesIndex', () => {
  it('separates stanzas by exactly one blank line and ends with a newline', () => {
    const stanzas = ['a', 'b', 'c'].map((name) =>
      buildPackagesStanza({ fields: [['Package', name]] }, ZERO_ARCHIVE),
    );
    const index = buildPackagesIndex(stanzas);
    expect(index.endsWith('\n')).toBe(true);
    expect(index.endsWith('\n\n')).toBe(false);
    expect(index.split('\n\n')).toHaveLength(3);
    expect(index).not.toContain('\n\n\n');
    expect(parseDeb822(index).map((stanza) => stanza[0])).toEqual([
      ['Package', 'a'],
      ['Package', 'b'],
      ['Package', 'c'],
    ]);
    expect(buildPackagesIndex([])).toBe('');
  });
});

describe('Packages stanzas for real packages', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);

  it('match what apt-ftparchive writes, field for field', async () => {
    const files = ['hello_2.10-3_amd64.deb', 'debian-archive-keyring_2023.3+deb12u2_all.deb'];
    const stanzas: string[] = [];
    mkdirSync(join(temp.dir, 'pool'), { recursive: true });
    for (const file of files) {
      copyFileSync(join(FIXTURES, file), join(temp.dir, 'pool', file));
      const bytes = fixture(file);
      const pkg = await parseDeb(chunked(bytes, 65536));
      stanzas.push(buildPackagesStanza(pkg, archiveOf(bytes, `pool/${file}`)));
    }
    const ours = parseDeb822(buildPackagesIndex(stanzas));
    const theirs = parseDeb822(
      execFileSync('apt-ftparchive', ['-o', 'APT::FTPArchive::SHA512=true', 'packages', 'pool'], {
        cwd: temp.dir,
        encoding: 'utf8',
      }),
    );
    const sortFields = (stanza: DebField[]) => [...stanza].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const byName = (stanzas: DebField[][]) =>
      stanzas.map(sortFields).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    // apt-ftparchive adds Description-md5 only when it moves long descriptions; drop it.
    const withoutMd5 = theirs.map((stanza) => stanza.filter(([name]) => name !== 'Description-md5'));
    expect(byName(ours)).toEqual(byName(withoutMd5));
  });
});
