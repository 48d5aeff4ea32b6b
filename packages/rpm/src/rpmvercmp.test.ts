import { describe, expect, it } from 'vitest';
import { compareEvr, rpmvercmp } from './rpmvercmp';

// Cases restated from the behaviour rpm's own test suite checks (tests/rpmvercmp.at), grouped by rule.
// Each row: a, b, expected sign of rpmvercmp(a, b). Every row is also checked reversed.
const CASES: Array<[string, string, -1 | 0 | 1]> = [
  // plain numeric segments
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['4.999.9', '5.0', -1],
  ['20101121', '20101122', -1],
  // letters after numbers, and numbers beat letters
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p2', -1],
  ['5.5p1', '5.5p10', -1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '6.5p1', -1],
  ['10xyz', '10.1xyz', -1],
  ['xyz10', 'xyz10.1', -1],
  ['xyz.4', '8', -1],
  ['xyz.4', '2', -1],
  ['6.0', '6.0.rc1', -1],
  ['10a2', '10b2', -1],
  ['10a1', '10b2', -1],
  ['1.0a', '1.0aa', -1],
  // leading zeros are ignored
  ['10.0001', '10.1', 0],
  ['10.0001', '10.0039', -1],
  // separators are all alike
  ['2_0', '2.0', 0],
  ['a+', 'a_', 0],
  ['+a', '_a', 0],
  ['_+', '+_', 0],
  ['+', '_', 0],
  // tilde sorts before everything, even the end
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  // caret sorts after the end but before any further segment
  ['1.0^', '1.0^', 0],
  ['1.0', '1.0^', -1],
  ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0^git1', '1.01', -1],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1', -1],
  // Fedora-style releases
  ['1b.fc17', '1.fc17', -1],
  ['1.fc17', '1g.fc17', -1],
  // non-ASCII characters are separators, so these compare equal
  ['1.1.α', '1.1.β', 0],
  ['1.1.αα', '1.1.α', 0],
];

describe('rpmvercmp', () => {
  it.each(CASES)('compares %s with %s as %i (and reversed)', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it('orders the formats.md examples', () => {
    const sorted = ['1.0.1', '1.0^git1', '1.0', '1.0~rc1', '1.0a'].sort(rpmvercmp);
    expect(sorted).toEqual(['1.0~rc1', '1.0', '1.0^git1', '1.0a', '1.0.1']);
  });
});

describe('compareEvr', () => {
  it('compares epoch first, numerically, missing epoch = 0', () => {
    expect(compareEvr({ epoch: 1, version: '1.0' }, { version: '9.9' })).toBe(1);
    expect(compareEvr({ epoch: '0', version: '1.0' }, { version: '1.0' })).toBe(0);
    expect(compareEvr({ epoch: '10', version: '1' }, { epoch: '9', version: '2' })).toBe(1);
  });

  it('then version, then release', () => {
    expect(compareEvr({ version: '1.0', release: '2' }, { version: '1.0', release: '10' })).toBe(-1);
    expect(compareEvr({ version: '1.1', release: '1' }, { version: '1.0', release: '99' })).toBe(1);
    expect(compareEvr({ version: '1.0', release: '1.el9' }, { version: '1.0', release: '1.el9' })).toBe(0);
  });
});
