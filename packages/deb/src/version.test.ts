import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareDebVersions, explainInvalidDebVersion, isValidDebVersion, splitDebVersion } from './version';

type Claim = [a: string, op: 'lt' | 'eq' | 'gt', b: string];

/**
 * Whether dpkg agrees with each claim: one shell runs `dpkg --compare-versions` for all of them (a
 * process spawned from the test process for each of 435 pairs took ~19 s). Versions hold no blanks.
 */
function dpkgSays(claims: Claim[]): boolean[] {
  const out = execFileSync(
    'sh',
    [
      '-c',
      'while read -r a op b; do if dpkg --compare-versions "$a" "$op" "$b"; then echo 1; else echo 0; fi; done',
    ],
    {
      input: claims.map((c) => `${c.join(' ')}\n`).join(''),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  return out
    .split('\n')
    .slice(0, claims.length)
    .map((line) => line === '1');
}

describe('compareDebVersions', () => {
  it('orders the formats.md chain 1.0~rc1 < 1.0 < 1.0a < 1.0+b1 < 1.0.1', () => {
    const chain = ['1.0~rc1', '1.0', '1.0a', '1.0+b1', '1.0.1'];
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(compareDebVersions(chain[i] as string, chain[i + 1] as string)).toBe(-1);
      expect(compareDebVersions(chain[i + 1] as string, chain[i] as string)).toBe(1);
    }
  });

  it('treats 1.0, 1.0-0 and 0:1.0 as equal', () => {
    expect(compareDebVersions('1.0', '1.0-0')).toBe(0);
    expect(compareDebVersions('0:1.0', '1.0')).toBe(0);
    expect(compareDebVersions('0:1.0-0', '1.0')).toBe(0);
  });

  it('compares epochs first: 1:0.9 > 2.0', () => {
    expect(compareDebVersions('1:0.9', '2.0')).toBe(1);
    expect(compareDebVersions('2:1', '10:0')).toBe(-1);
  });

  it('sorts tildes before everything, even the end of the string', () => {
    expect(compareDebVersions('1.0~~', '1.0~')).toBe(-1);
    expect(compareDebVersions('1.0~~a', '1.0~~')).toBe(1);
    expect(compareDebVersions('1.0~', '1.0')).toBe(-1);
    expect(compareDebVersions('1.0-1~bpo1', '1.0-1')).toBe(-1);
    expect(compareDebVersions('2.0~beta1', '2.0~alpha1')).toBe(1);
  });

  it('compares revisions after upstream and numbers numerically', () => {
    expect(compareDebVersions('1.0-2', '1.0-10')).toBe(-1);
    expect(compareDebVersions('1.0-1', '1.0-1.1')).toBe(-1);
    expect(compareDebVersions('1.001', '1.1')).toBe(0);
    expect(compareDebVersions('1.2-3-4', '1.2-3')).toBe(1);
    expect(compareDebVersions('10', '9')).toBe(1);
  });

  it('agrees with dpkg --compare-versions on every pair of a mixed list', () => {
    const versions = [
      '0',
      '0.0',
      '1',
      '1.0',
      '1.0-0',
      '0:1.0',
      '1.0-1',
      '1.0~rc1',
      '1.0~rc1-1',
      '1.0a',
      '1.0+b1',
      '1.0.1',
      '1:0.9',
      '2.0',
      '1.0~',
      '1.0~~',
      '1.0-1~bpo11+1',
      '1.0-1+deb12u1',
      '1.0+dfsg-1',
      '2.10-3',
      '2.9-10',
      '1.0-a',
      '1.0-A',
      '1.0-+',
      '1.0-.',
      '3:1.2.3',
      'a',
      '1.00001',
      '18446744073709551616',
      '1:1:1',
    ];
    const claims: Claim[] = [];
    for (const a of versions) {
      for (const b of versions) {
        if (a >= b) continue;
        const ours = compareDebVersions(a, b);
        claims.push([a, ours < 0 ? 'lt' : ours > 0 ? 'gt' : 'eq', b]);
      }
    }
    expect(claims).toHaveLength((versions.length * (versions.length - 1)) / 2);
    const agreed = dpkgSays(claims);
    claims.forEach((claim, i) => {
      expect(agreed[i], claim.join(' ')).toBe(true);
    });
  }, 120_000);
});

describe('isValidDebVersion', () => {
  it('accepts real-world versions', () => {
    for (const version of [
      '1.0',
      '2:1.2.3~rc1+dfsg-0.1',
      '1.0-1ubuntu0.22.04.1',
      '0',
      '1:2:3-4',
      '1.0-1-2',
      '1.0+git20240101.abc',
    ]) {
      expect(isValidDebVersion(version), version).toBe(true);
    }
  });

  it('explains each invalid form like dpkg', () => {
    expect(explainInvalidDebVersion('')).toBe('version string is empty');
    expect(explainInvalidDebVersion('1.0 1')).toBe('version string has embedded spaces');
    expect(explainInvalidDebVersion(':1.0')).toBe('nothing before colon in version number');
    expect(explainInvalidDebVersion('a:1.0')).toBe('epoch in version is not number');
    expect(explainInvalidDebVersion('99999999999:1.0')).toBe('epoch in version is too big');
    expect(explainInvalidDebVersion('1:')).toBe('version number is empty');
    expect(explainInvalidDebVersion('1.0-')).toBe('revision number is empty');
    expect(explainInvalidDebVersion('v1.0')).toBe('version number does not start with digit');
    expect(explainInvalidDebVersion('1.0_1')).toBe('invalid character in version number');
    expect(explainInvalidDebVersion('1.0-1_2')).toBe('invalid character in revision number');
    expect(explainInvalidDebVersion('1.0/../x')).toBe('invalid character in version number');
  });
});

describe('splitDebVersion', () => {
  it('splits epoch at the first colon and revision at the last hyphen', () => {
    expect(splitDebVersion('1:2.0-3-4')).toEqual({ epoch: 1, upstream: '2.0-3', revision: '4' });
    expect(splitDebVersion('2.0')).toEqual({ epoch: 0, upstream: '2.0', revision: '' });
  });
});
