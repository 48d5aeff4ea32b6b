import { describe, expect, it } from 'vitest';
import { allOf, declaredLicenses, dep5ToSpdx, rpmLicenseToSpdx, spdxLicenseId } from './spdx-license';

describe('DEP-5 short names to SPDX', () => {
  it.each([
    ['GPL-2+', 'GPL-2.0-or-later'],
    ['GPL-2', 'GPL-2.0-only'],
    ['GPL-3.0+', 'GPL-3.0-or-later'],
    ['GPL', 'GPL-1.0-or-later'],
    ['LGPL-2.1+', 'LGPL-2.1-or-later'],
    ['LGPL-2', 'LGPL-2.0-only'],
    ['AGPL-3+', 'AGPL-3.0-or-later'],
    ['GFDL-NIV-1.3+', 'GFDL-1.3-no-invariants-or-later'],
    ['Expat', 'MIT'],
    ['BSD-3-clause', 'BSD-3-Clause'],
    ['bsd-2-clause', 'BSD-2-Clause'],
    ['Apache-2.0', 'Apache-2.0'],
    ['Artistic', 'Artistic-1.0'],
    ['Zlib', 'Zlib'],
    ['CC0-1.0', 'CC0-1.0'],
    ['MPL-1.1+', 'MPL-1.1+'],
    ['public-domain', 'LicenseRef-public-domain'],
    ['BSD-variant', 'LicenseRef-BSD-variant'],
  ])('%s → %s', (name, id) => {
    expect(dep5ToSpdx(name)).toBe(id);
  });

  it('keeps DEP-5 precedence: and binds tighter than or, a comma ends a group', () => {
    expect(dep5ToSpdx('GPL-2+ or Artistic-1.0')).toBe('GPL-2.0-or-later OR Artistic-1.0');
    expect(dep5ToSpdx('GPL-2+ or Artistic-1.0, and BSD-3-clause')).toBe(
      '(GPL-2.0-or-later OR Artistic-1.0) AND BSD-3-Clause',
    );
    expect(dep5ToSpdx('Perl')).toBe('(Artistic-1.0-Perl OR GPL-1.0-or-later)');
  });

  it('maps license exceptions SPDX knows and turns the others into a LicenseRef', () => {
    expect(dep5ToSpdx('GPL-3+ with Autoconf exception')).toBe('GPL-3.0-or-later WITH Autoconf-exception-3.0');
    expect(dep5ToSpdx('GPL-2+ with Font exception')).toBe('GPL-2.0-or-later WITH Font-exception-2.0');
    expect(dep5ToSpdx('GPL-2+ with OpenSSL exception')).toBe(
      'LicenseRef-GPL-2-or-later-with-OpenSSL-exception',
    );
  });

  it('turns an unreadable expression into one LicenseRef', () => {
    expect(dep5ToSpdx('GPL-2+ or')).toBe('LicenseRef-GPL-2-or-later-or');
    expect(spdxLicenseId('weird/name (c)')).toBe('LicenseRef-weird-name-c');
  });
});

describe('rpm License tags to SPDX', () => {
  it.each([
    ['MIT', 'MIT'],
    ['MIT AND (GPL-2.0-or-later OR BSD-3-Clause)', 'MIT AND (GPL-2.0-or-later OR BSD-3-Clause)'],
    ['GPLv2+ and LGPLv2+', 'GPL-2.0-or-later AND LGPL-2.0-or-later'],
    ['GPLv3+ or (LGPLv2.1 and MIT)', 'GPL-3.0-or-later OR (LGPL-2.1-only AND MIT)'],
    ['ASL 2.0', 'Apache-2.0'],
    ['Public Domain', 'LicenseRef-public-domain'],
    ['Apache-2.0 WITH LLVM-exception', 'Apache-2.0 WITH LLVM-exception'],
    ['BSD', 'LicenseRef-BSD'],
    ['GPL-2.0-or-later (', 'LicenseRef-GPL-2.0-or-later'],
  ])('%s → %s', (tag, expression) => {
    expect(rpmLicenseToSpdx(tag)).toBe(expression);
  });
});

describe('declaredLicenses', () => {
  it('lists each distinct expression once and skips empty declarations', () => {
    expect(
      declaredLicenses({ format: 'deb', deb: { copyrightLicenses: ['GPL-2', 'GPL-2', 'Expat'] } }),
    ).toEqual(['GPL-2.0-only', 'MIT']);
    expect(declaredLicenses({ format: 'deb', deb: {} })).toEqual([]);
    expect(declaredLicenses({ format: 'rpm', rpm: { license: '' } })).toEqual([]);
    expect(declaredLicenses({ format: 'rpm', rpm: { license: 'GPLv2' } })).toEqual(['GPL-2.0-only']);
  });

  it('joins expressions with AND, parenthesising alternatives', () => {
    expect(allOf(['MIT', 'GPL-2.0-only OR BSD-3-Clause'])).toBe('MIT AND (GPL-2.0-only OR BSD-3-Clause)');
    expect(allOf(['(A OR B)'])).toBe('(A OR B)');
    expect(allOf([])).toBeUndefined();
  });
});
