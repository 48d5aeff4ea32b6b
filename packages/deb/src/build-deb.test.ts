import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeb } from './build-deb';
import { parseDeb } from './parse-deb';
import { chunked, makeTempDir } from './testing/deb-builders';

const input = {
  control: [
    ['Package', 'acme-tools-archive-keyring'],
    ['Version', '3'],
    ['Architecture', 'all'],
    ['Maintainer', 'Pallet <noreply@pallet.invalid>'],
    ['Description', 'keys\n two lines'],
  ] as [string, string][],
  files: [{ path: '/usr/share/keyrings/acme-tools.gpg', bytes: new Uint8Array([1, 2, 3]) }],
  mtime: 1_700_000_000,
};

describe('buildDeb', () => {
  it('builds a .deb that dpkg-deb reads and that Pallet parses like an upload', async () => {
    const bytes = buildDeb(input);
    expect(buildDeb(input)).toEqual(bytes);
    const { dir, cleanup } = makeTempDir();
    try {
      const file = join(dir, 'k.deb');
      writeFileSync(file, bytes);
      const info = execFileSync('dpkg-deb', ['--field', file, 'Package', 'Version'], { encoding: 'utf8' });
      expect(info).toBe('Package: acme-tools-archive-keyring\nVersion: 3\n');
      const contents = execFileSync('dpkg-deb', ['--contents', file], { encoding: 'utf8' });
      expect(contents).toMatch(/root\/root\s+3 .* \.\/usr\/share\/keyrings\/acme-tools\.gpg/);
      execFileSync('dpkg-deb', ['--extract', file, join(dir, 'x')]);
      expect(
        execFileSync('od', ['-An', '-tu1', join(dir, 'x/usr/share/keyrings/acme-tools.gpg')], {
          encoding: 'utf8',
        }).trim(),
      ).toBe('1   2   3');
    } finally {
      cleanup();
    }
    const parsed = await parseDeb(chunked(bytes, 512));
    expect(parsed).toMatchObject({ name: 'acme-tools-archive-keyring', version: '3', architecture: 'all' });
  });

  it('refuses control fields that would break the stanza', () => {
    expect(() => buildDeb({ ...input, control: [['Package', 'a\nEvil: 1']] })).toThrow(/invalid control/);
    expect(() => buildDeb({ ...input, files: [{ path: 'rel/x', bytes: new Uint8Array() }] })).toThrow();
  });
});
