// NAME, VERSION, RELEASE and ARCH end up in the package's location href and file name: values
// rpmbuild would never write, or that would make a path, must be refused as corrupt (HTTP 422).
import { describe, expect, it } from 'vitest';
import { RpmFormatError } from './errors';
import { rpmLocationHref } from './location';
import { parseRpm } from './parse-rpm';
import { Tag } from './tags';
import { bytesChunks } from './test-support/rpm-fixtures';
import { BASIC_MAIN, str, synthRpm } from './test-support/synthetic-rpm';

function withValue(tag: number, value: string) {
  return synthRpm(BASIC_MAIN.map((entry) => (entry.tag === tag ? str(tag, value) : entry)));
}

async function rejection(bytes: Uint8Array): Promise<RpmFormatError> {
  const error = await parseRpm(bytesChunks(bytes, 64)).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RpmFormatError);
  return error as RpmFormatError;
}

describe('parseRpm refuses NEVRA values rpmbuild would not write', () => {
  const hostile: Array<[string, number, string]> = [
    ['a NAME climbing out of the directory', Tag.NAME, '../../pwn'],
    ['a NAME with a slash', Tag.NAME, 'a/b'],
    ['a NAME with a newline', Tag.NAME, 'pwn\nx'],
    ['a NAME with an escape code', Tag.NAME, 'pwn\u001b[2J'],
    ['a NAME with a space', Tag.NAME, 'pwn x'],
    ['a NAME starting with a dot', Tag.NAME, '.hidden'],
    ['a NAME starting with a dash', Tag.NAME, '-rf'],
    ['a NAME with a percent sign', Tag.NAME, 'foo%2e%2e'],
    ['a NAME with non-ASCII letters', Tag.NAME, 'pä'],
    ['a VERSION with a dash', Tag.VERSION, '1.0-1'],
    ['a VERSION with ".."', Tag.VERSION, '1..0'],
    ['a VERSION with a slash', Tag.VERSION, '1/../../x'],
    ['a RELEASE with a space', Tag.RELEASE, '1 el9'],
    ['a RELEASE with a colon', Tag.RELEASE, '1:2'],
    ['an ARCH with a slash', Tag.ARCH, 'x86_64/../../y'],
    ['an ARCH with a dash', Tag.ARCH, 'x86-64'],
  ];
  for (const [what, tag, value] of hostile) {
    it(`refuses ${what}`, async () => {
      const error = await rejection(withValue(tag, value));
      expect(error.kind).toBe('corrupt');
      expect(error.message).toMatch(
        /^The package (NAME|VERSION|RELEASE|ARCH) .* is not valid: it may hold only /,
      );
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain('\u001b');
    });
  }

  it('refuses an overlong NAME in one short sentence', async () => {
    const error = await rejection(withValue(Tag.NAME, 'a'.repeat(300)));
    expect(error.message).toBe('The package NAME is longer than 255 characters.');
  });

  it('accepts the characters real packages use, and their href stays one path under Packages/', async () => {
    const pkg = await parseRpm(
      bytesChunks(
        synthRpm(
          BASIC_MAIN.map((entry) => {
            if (entry.tag === Tag.NAME) return str(Tag.NAME, 'libstdc++_compat-devel.x');
            if (entry.tag === Tag.VERSION) return str(Tag.VERSION, '1.0~rc1^20240101git.abc+x');
            if (entry.tag === Tag.RELEASE) return str(Tag.RELEASE, '0.1.el9_3');
            if (entry.tag === Tag.ARCH) return str(Tag.ARCH, 'x86_64');
            return entry;
          }),
        ),
        64,
      ),
    );
    expect(rpmLocationHref(pkg)).toBe(
      'Packages/l/libstdc++_compat-devel.x-1.0~rc1^20240101git.abc+x-0.1.el9_3.x86_64.rpm',
    );
  });
});

describe('rpmLocationHref', () => {
  it('refuses to build an href from a NEVRA that is not one plain path', () => {
    const base = { name: 'pwn', version: '1', release: '1', arch: 'noarch' };
    expect(() => rpmLocationHref({ ...base, name: '../../pwn' })).toThrow(RpmFormatError);
    expect(() => rpmLocationHref({ ...base, arch: 'noarch/../x' })).toThrow(RpmFormatError);
    expect(rpmLocationHref(base)).toBe('Packages/p/pwn-1-1.noarch.rpm');
  });
});
