// Version order and OSV range evaluation, checked against dpkg and rpm themselves on tricky versions, and
// the fixture records of each distribution read into what matching needs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareDebVersions } from '@pallet/deb';
import { describe, expect, it } from 'vitest';
import { evaluateAffected } from './affected-range';
import { compareRpmVersions, ecosystemsForDistribution, versionOrderFor } from './ecosystem';
import { parseOsvRecord } from './osv-record';
import { cvss3BaseScore } from './severity';

const FIXTURES = join(import.meta.dirname, 'fixtures/osv');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function dpkgSays(a: string, b: string): number {
  for (const [op, sign] of [
    ['lt', -1],
    ['eq', 0],
    ['gt', 1],
  ] as const) {
    try {
      execFileSync('dpkg', ['--compare-versions', a, op, b], { stdio: 'ignore' });
      return sign;
    } catch {}
  }
  throw new Error(`dpkg could not compare ${a} and ${b}`);
}

function rpmSays(pairs: [string, string][]): number[] {
  // One rpm process for all pairs: rpm.vercmp compares full [epoch:]version-release strings like rpmdev-vercmp.
  const lua = pairs.map(([a, b]) => `print(rpm.vercmp("${a}","${b}") .. ",")`).join(' ');
  const out = execFileSync('rpm', ['--eval', `%{lua: ${lua}}`], { encoding: 'utf8' });
  return out
    .trim()
    .split(',')
    .filter((l) => l !== '')
    .map((l) => Math.sign(Number(l)));
}

const DEB_PAIRS: [string, string][] = [
  ['1:1.0~rc1-1', '1.0-1'],
  ['1.0~rc1-1', '1.0-1'],
  ['1.0~~a', '1.0~'],
  ['1.0-1', '1.0-1+deb12u1'],
  ['2.36-9+deb12u3', '2.36-9+deb12u10'],
  ['2.36-9+deb12u3', '2.36-9'],
  ['1.0+dfsg-1', '1.0-1'],
  ['1.0a', '1.0+'],
  ['0:1.0', '1.0'],
  ['1.0-0ubuntu0.22.04.1', '1.0-0ubuntu1'],
  ['2.35-0ubuntu3.4', '2.35-0ubuntu3.10'],
  ['10.0001', '10.1'],
  ['1.2.3~bpo12+1', '1.2.3'],
];

const RPM_PAIRS: [string, string][] = [
  ['1.0^post', '1.0'],
  ['1.0^post', '1.0.1'],
  ['1.0~rc1', '1.0'],
  ['1:1.0~rc1-1', '1.0-1'],
  ['2.34-60.el9_2.7', '2.34-60.el9'],
  ['2.34-60.el9_2.7', '2.34-60.el9_2.10'],
  ['2.34-100.el9', '2.34-60.el9_2.7'],
  ['1.0-1.el9', '1.0-1.el9_0'],
  ['5.5p1', '5.5p10'],
  ['1.0a', '1.0.1'],
  ['2.31-150300.63.1', '2.31-150300.46.1'],
  ['1.0^git1', '1.0^git1~pre'],
];

describe('version order', () => {
  it('orders Debian versions exactly as dpkg --compare-versions does', () => {
    for (const [a, b] of DEB_PAIRS) {
      expect({ a, b, order: compareDebVersions(a, b) }).toEqual({ a, b, order: dpkgSays(a, b) });
      expect({ a, b, order: compareDebVersions(b, a) }).toEqual({ a, b, order: dpkgSays(b, a) });
    }
  });

  it('orders rpm epoch:version-release strings exactly as rpm does (tilde, caret, el9_2 releases)', () => {
    const pairs = [...RPM_PAIRS, ...RPM_PAIRS.map(([a, b]) => [b, a] as [string, string])];
    const expected = rpmSays(pairs);
    pairs.forEach(([a, b], i) => {
      expect({ a, b, order: Math.sign(compareRpmVersions(a, b)) }).toEqual({ a, b, order: expected[i] });
    });
  });
});

describe('ECOSYSTEM ranges', () => {
  const deb = versionOrderFor('Debian:12');
  const rpm = versionOrderFor('AlmaLinux:9');

  it('holds a version from introduced up to, not including, fixed', () => {
    const entry = { ranges: [[{ introduced: '0' }, { fixed: '2.36-9+deb12u3' }]], versions: [] };
    expect(evaluateAffected('2.36-9+deb12u2', entry, deb)).toEqual({
      affected: true,
      fixedVersion: '2.36-9+deb12u3',
    });
    expect(evaluateAffected('2.36-9+deb12u3', entry, deb)).toEqual({ affected: false });
    expect(evaluateAffected('2.36-9+deb12u10', entry, deb)).toEqual({ affected: false });
    // a tilde version before the fix (a backport) is still affected
    expect(evaluateAffected('2.36-9+deb12u3~bpo1', entry, deb).affected).toBe(true);
  });

  it('holds last_affected inclusively and starts at introduced', () => {
    const entry = { ranges: [[{ introduced: '1.2-1' }, { last_affected: '1.4-2' }]], versions: [] };
    expect(evaluateAffected('1.1-9', entry, deb).affected).toBe(false);
    expect(evaluateAffected('1.2-1', entry, deb).affected).toBe(true);
    expect(evaluateAffected('1.4-2', entry, deb)).toEqual({ affected: true });
    expect(evaluateAffected('1.4-2+b1', entry, deb).affected).toBe(false);
  });

  it('handles several introduced/fixed pairs in one range and epochs', () => {
    const entry = {
      ranges: [[{ introduced: '0' }, { fixed: '1.0-3' }, { introduced: '1:2.0-1' }, { fixed: '1:2.0-5' }]],
      versions: [],
    };
    expect(evaluateAffected('1.0-2', entry, deb)).toEqual({ affected: true, fixedVersion: '1.0-3' });
    expect(evaluateAffected('1.5-1', entry, deb).affected).toBe(false);
    expect(evaluateAffected('1:2.0-4', entry, deb)).toEqual({ affected: true, fixedVersion: '1:2.0-5' });
    expect(evaluateAffected('2.0-4', entry, deb).affected).toBe(false);
  });

  it('compares rpm releases with rpmvercmp (el9_2.7 fixes el9_2.6, not el9_2.10)', () => {
    const entry = { ranges: [[{ introduced: '0' }, { fixed: '2.34-60.el9_2.7' }]], versions: [] };
    expect(evaluateAffected('2.34-60.el9_2.6', entry, rpm).affected).toBe(true);
    expect(evaluateAffected('2.34-60.el9', entry, rpm).affected).toBe(true);
    expect(evaluateAffected('2.34-60.el9_2.10', entry, rpm).affected).toBe(false);
    expect(evaluateAffected('1:2.0-1.el9', entry, rpm).affected).toBe(false);
  });

  it('matches versions the record lists one by one', () => {
    const entry = { ranges: [], versions: ['2.35-0ubuntu3.1'] };
    expect(evaluateAffected('2.35-0ubuntu3.1', entry, deb).affected).toBe(true);
    expect(evaluateAffected('2.35-0ubuntu3.2', entry, deb).affected).toBe(false);
  });
});

describe('OSV records of each distribution', () => {
  it('reads a Debian DSA: source package, upstream CVEs, no rating', () => {
    const a = parseOsvRecord(fixture('DSA-5514-1.json'))!;
    expect(a.id).toBe('DSA-5514-1');
    expect(a.aliases).toContain('CVE-2023-4911');
    expect(a.severity).toBe('unknown');
    expect(a.affected.map((x) => `${x.ecosystem}/${x.name}`)).toEqual(['Debian:11/glibc', 'Debian:12/glibc']);
    expect(a.affected[1]!.ranges).toEqual([[{ introduced: '0' }, { fixed: '2.36-9+deb12u3' }]]);
  });

  it('reads an AlmaLinux ALSA: the "Important:" rating is high', () => {
    const a = parseOsvRecord(fixture('ALSA-2023-5453.json'))!;
    expect(a.severity).toBe('high');
    expect(a.aliases).toEqual(['CVE-2023-4911']);
    expect(a.affected.map((x) => x.name)).toEqual(['glibc', 'glibc-common', 'nscd']);
  });

  it('reads a SUSE advisory rated by its CVSS v3.1 vector', () => {
    const a = parseOsvRecord(fixture('SUSE-SU-2023-3952-1.json'))!;
    expect(cvss3BaseScore('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBe(7.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')).toBe(10);
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N')).toBe(3.1);
    expect(a.severity).toBe('high');
    expect(a.affected.map((x) => x.ecosystem)).toEqual([
      'SUSE:Linux Enterprise Server 15 SP5',
      'openSUSE:Leap 15.5',
    ]);
  });

  it('reads an Ubuntu USN with its own priority and listed versions', () => {
    const a = parseOsvRecord(fixture('USN-6409-1.json'))!;
    expect(a.severity).toBe('high');
    expect(a.affected[0]!.versions).toContain('2.35-0ubuntu3.1');
  });

  it('skips records of ecosystems Pallet does not host, and refuses malformed ones', () => {
    const npm = JSON.stringify({
      id: 'GHSA-xxxx-yyyy-zzzz',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'left-pad' } }],
    });
    expect(parseOsvRecord(npm)).toBeUndefined();
    expect(() => parseOsvRecord('{"id": "X"}')).toThrow(/modified/);
    expect(() => parseOsvRecord('not json')).toThrow(/JSON/);
  });
});

describe('distribution to ecosystem', () => {
  it('maps the distributions Pallet hosts to their OSV ecosystems', () => {
    expect(ecosystemsForDistribution('debian', 'bookworm').exact).toEqual(['Debian:12']);
    expect(ecosystemsForDistribution('ubuntu', 'noble').exact).toEqual(['Ubuntu:24.04:LTS']);
    expect(ecosystemsForDistribution('el', '9')).toEqual({
      exact: ['AlmaLinux:9', 'Rocky Linux:9'],
      prefixes: ['Red Hat:enterprise_linux:9:'],
    });
    expect(ecosystemsForDistribution('rocky', '9.4').exact).toEqual(['Rocky Linux:9']);
    expect(ecosystemsForDistribution('opensuse', '15.5').exact).toEqual(['openSUSE:Leap 15.5']);
    expect(ecosystemsForDistribution('sles', '15-sp5').exact[0]).toBe('SUSE:Linux Enterprise Server 15 SP5');
    expect(ecosystemsForDistribution('any', 'any').exact).toEqual([]);
  });
});
