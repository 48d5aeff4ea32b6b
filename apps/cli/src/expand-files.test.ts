import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandFiles, globToRegExp } from './expand-files';

const dir = mkdtempSync(join(tmpdir(), 'pallet-glob-'));
for (const f of ['a_1.deb', 'b_1.deb', 'c.rpm', 'sub/d_2.deb', 'sub/deeper/e.deb']) {
  mkdirSync(join(dir, f, '..'), { recursive: true });
  writeFileSync(join(dir, f), '');
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expandFiles', () => {
  it('expands * within one directory, sorted', () => {
    expect(expandFiles([`${dir}/*.deb`])).toEqual([`${dir}/a_1.deb`, `${dir}/b_1.deb`]);
  });

  it('expands ** across directories and keeps literal paths', () => {
    expect(expandFiles([`${dir}/**/*.deb`, `${dir}/c.rpm`])).toEqual([
      `${dir}/a_1.deb`,
      `${dir}/b_1.deb`,
      `${dir}/sub/d_2.deb`,
      `${dir}/sub/deeper/e.deb`,
      `${dir}/c.rpm`,
    ]);
  });

  it('matches ? and character classes', () => {
    expect(globToRegExp('[ab]_?.deb').test('a_1.deb')).toBe(true);
    expect(globToRegExp('[!ab]_?.deb').test('a_1.deb')).toBe(false);
    expect(globToRegExp('*.deb').test('sub/x.deb')).toBe(false);
  });

  it('refuses a pattern that matches nothing', () => {
    expect(() => expandFiles([`${dir}/*.txt`])).toThrow(/no file matches/);
  });
});
