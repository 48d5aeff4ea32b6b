import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import lzma from 'lzma-native';
import { afterAll, describe, expect, it } from 'vitest';
import { compressIndex } from './compress-index';
import { getField, parseDeb822, parseDeb822Stanza } from './deb822';
import { buildPackagesIndex, buildPackagesStanza } from './packages-index';
import { parseDeb } from './parse-deb';
import { poolPath } from './pool-path';
import {
  buildReleaseFile,
  formatReleaseDate,
  type ReleaseFileOptions,
  type ReleaseIndexFile,
} from './release-file';
import { chunked, fixture, makeTempDir } from './testing/deb-builders';

function hashes(bytes: Uint8Array) {
  const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return {
    size: bytes.length,
    md5: hex('md5'),
    sha1: hex('sha1'),
    sha256: hex('sha256'),
    sha512: hex('sha512'),
  };
}

const BASE: ReleaseFileOptions = {
  origin: 'Pallet',
  label: 'Pallet acme/tools',
  suite: 'stable',
  codename: 'bookworm',
  date: new Date(Date.UTC(2024, 10, 9, 10, 36, 40, 123)),
  architectures: ['amd64', 'all', 'arm64'],
  components: ['main', 'contrib'],
  acquireByHash: true,
  files: [],
};

describe('formatReleaseDate', () => {
  it('writes RFC 2822 in UTC with the UTC zone name', () => {
    expect(formatReleaseDate(new Date(Date.UTC(2024, 10, 9, 10, 36, 40)))).toBe(
      'Sat, 09 Nov 2024 10:36:40 UTC',
    );
    expect(formatReleaseDate(new Date(Date.UTC(2025, 0, 1, 0, 0, 0)))).toBe('Wed, 01 Jan 2025 00:00:00 UTC');
    expect(() => formatReleaseDate(new Date('nope'))).toThrow(TypeError);
  });
});

describe('buildReleaseFile', () => {
  const files: ReleaseIndexFile[] = [
    { path: 'main/binary-amd64/Packages.xz', ...hashes(Buffer.from('xz')) },
    { path: 'main/binary-amd64/Packages', ...hashes(Buffer.from('a much longer uncompressed text')) },
  ];

  it('writes the header fields in apt-ftparchive order and every file in every list', () => {
    const text = buildReleaseFile({
      ...BASE,
      validUntil: new Date(Date.UTC(2024, 10, 16, 10, 36, 40)),
      description: 'Tools for Acme',
      signedBy: ['0123456789ABCDEF0123456789ABCDEF01234567'],
      noSupportForArchitectureAll: true,
      files,
    });
    const stanza = parseDeb822Stanza(text);
    expect(stanza.map(([name]) => name)).toEqual([
      'Origin',
      'Label',
      'Suite',
      'Codename',
      'Date',
      'Valid-Until',
      'Acquire-By-Hash',
      'No-Support-for-Architecture-all',
      'Architectures',
      'Components',
      'Description',
      'Signed-By',
      'MD5Sum',
      'SHA1',
      'SHA256',
      'SHA512',
    ]);
    expect(getField(stanza, 'Date')).toBe('Sat, 09 Nov 2024 10:36:40 UTC');
    expect(getField(stanza, 'Architectures')).toBe('all amd64 arm64');
    expect(getField(stanza, 'Components')).toBe('main contrib');
    expect(getField(stanza, 'SHA256')).toBe(
      [
        '',
        ` ${files[1]?.sha256} 31 main/binary-amd64/Packages`,
        ` ${files[0]?.sha256}  2 main/binary-amd64/Packages.xz`,
      ].join('\n'),
    );
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\n\n');
  });

  it('omits optional fields, and No-Support-for-Architecture-all unless asked even when all is listed', () => {
    const withoutSha1 = files.map(({ sha1: _sha1, ...file }) => file);
    const text = buildReleaseFile({
      ...BASE,
      acquireByHash: false,
      files: withoutSha1,
    });
    const stanza = parseDeb822Stanza(text);
    const names = stanza.map(([name]) => name);
    expect(getField(stanza, 'Architectures')).toBe('all amd64 arm64');
    expect(names).not.toContain('No-Support-for-Architecture-all');
    expect(names).not.toContain('Acquire-By-Hash');
    expect(names).not.toContain('Valid-Until');
    expect(names).not.toContain('SHA1');
  });

  it('refuses No-Support-for-Architecture-all for a suite that does not list all', () => {
    expect(() =>
      buildReleaseFile({ ...BASE, architectures: ['amd64'], noSupportForArchitectureAll: true, files }),
    ).toThrow(/needs all/);
  });

  it('is deterministic whatever the order of files', () => {
    expect(buildReleaseFile({ ...BASE, files })).toBe(
      buildReleaseFile({ ...BASE, files: [...files].reverse() }),
    );
  });

  it('refuses inputs that would make an invalid Release', () => {
    expect(() => buildReleaseFile({ ...BASE, origin: 'a\nSuite: x' })).toThrow(TypeError);
    expect(() => buildReleaseFile({ ...BASE, architectures: [] })).toThrow(TypeError);
    expect(() => buildReleaseFile({ ...BASE, components: ['main', 'main'] })).toThrow(TypeError);
    expect(() =>
      buildReleaseFile({ ...BASE, files: [{ ...(files[0] as ReleaseIndexFile), path: '../x' }] }),
    ).toThrow(TypeError);
    expect(() =>
      buildReleaseFile({ ...BASE, files: [files[0] as ReleaseIndexFile, files[0] as ReleaseIndexFile] }),
    ).toThrow(/twice/);
    const { sha1: _dropped, ...withoutSha1 } = files[0] as ReleaseIndexFile;
    expect(() => buildReleaseFile({ ...BASE, files: [withoutSha1, files[1] as ReleaseIndexFile] })).toThrow(
      /every list/,
    );
    expect(() => buildReleaseFile({ ...BASE, signedBy: ['ABCD'] })).toThrow(TypeError);
  });
});

describe('a generated repository is self-consistent', () => {
  const temp = makeTempDir();
  afterAll(temp.cleanup);

  it('lists sizes and hashes in Packages and Release that match the files on disk', async () => {
    const root = temp.dir;
    const stanzas: string[] = [];
    for (const file of ['hello_2.10-3_amd64.deb', 'debian-archive-keyring_2023.3+deb12u2_all.deb']) {
      const bytes = fixture(file);
      const pkg = await parseDeb(chunked(bytes, 65536));
      const path = poolPath({ release: 'bookworm', component: 'main', ...pkg });
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
      stanzas.push(buildPackagesStanza(pkg, { filename: path, ...hashes(bytes) }));
    }
    const packages = Buffer.from(buildPackagesIndex(stanzas));
    const { gz, xz } = await compressIndex(packages);
    const dists = join(root, 'dists/bookworm');
    const indexFiles: ReleaseIndexFile[] = [];
    for (const [name, bytes] of [
      ['Packages', packages],
      ['Packages.gz', gz],
      ['Packages.xz', xz],
    ] as const) {
      const path = `main/binary-amd64/${name}`;
      mkdirSync(join(dists, 'main/binary-amd64'), { recursive: true });
      writeFileSync(join(dists, path), bytes);
      indexFiles.push({ path, ...hashes(bytes) });
    }
    writeFileSync(join(dists, 'Release'), buildReleaseFile({ ...BASE, files: indexFiles }));

    // Verify from the files alone, as apt would: Release → indexes → .debs.
    const release = parseDeb822Stanza(readFileSync(join(dists, 'Release'), 'utf8'));
    const lists = { MD5Sum: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
    for (const [field, algorithm] of Object.entries(lists)) {
      const lines = (getField(release, field) ?? '').split('\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const [digest, size, path] = line.trim().split(/\s+/) as [string, string, string];
        const bytes = readFileSync(join(dists, path));
        expect(Number(size)).toBe(bytes.length);
        expect(digest).toBe(hashes(bytes)[algorithm]);
      }
    }
    const fromGz = gunzipSync(readFileSync(join(dists, 'main/binary-amd64/Packages.gz')));
    const fromXz = await new Promise<Buffer>((resolve) =>
      lzma.decompress(readFileSync(join(dists, 'main/binary-amd64/Packages.xz')), undefined, resolve),
    );
    expect(fromGz.equals(packages)).toBe(true);
    expect(fromXz.equals(packages)).toBe(true);
    for (const stanza of parseDeb822(packages.toString('utf8'))) {
      const deb = readFileSync(join(root, getField(stanza, 'Filename') ?? ''));
      expect(getField(stanza, 'Size')).toBe(String(deb.length));
      expect(getField(stanza, 'SHA256')).toBe(hashes(deb).sha256);
      expect(getField(stanza, 'MD5sum')).toBe(hashes(deb).md5);
    }
  });
});
