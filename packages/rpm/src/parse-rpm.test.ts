import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRpm } from './parse-rpm';
import { buildTestRpms, fileChunks, rpmQuery, type TestRpms } from './test-support/rpm-fixtures';
import type { RpmDependency, RpmPackage } from './types';

let rpms: TestRpms;
beforeAll(() => {
  rpms = buildTestRpms();
});
afterAll(() => rpms?.cleanup());

const SCALARS =
  '%{NAME}\\n%|EPOCH?{%{EPOCH}}:{}|\\n%{VERSION}\\n%{RELEASE}\\n%{ARCH}\\n%{SUMMARY}\\n%{LICENSE}\\n%{URL}\\n' +
  '%{GROUP}\\n%|VENDOR?{%{VENDOR}}:{}|\\n%|PACKAGER?{%{PACKAGER}}:{}|\\n%{BUILDTIME}\\n%{BUILDHOST}\\n' +
  '%{SOURCERPM}\\n%{SIZE}\\n%{ARCHIVESIZE}\\n';

function depLines(pkg: RpmDependency[]): string[] {
  return pkg.map((d) => {
    const evr =
      d.version === undefined
        ? ''
        : `${d.epoch === '0' ? '' : `${d.epoch}:`}${d.version}${d.release ? `-${d.release}` : ''}`;
    return `${d.name}|${d.senseFlags}|${evr}`;
  });
}

function rpmDeps(file: string, kind: string): string[] {
  const out = rpmQuery(file, `[%{${kind}NAME}|%{${kind}FLAGS}|%{${kind}VERSION}\\n]`);
  return out.split('\n').filter((l) => l !== '' && l !== '(none)|(none)|(none)');
}

async function parseFile(path: string): Promise<RpmPackage> {
  return parseRpm(fileChunks(path, 333));
}

describe('parseRpm on packages built by rpmbuild', () => {
  for (const which of ['noarch', 'x86'] as const) {
    it(`matches rpm -qp for the ${which} package`, async () => {
      const file = rpms[which];
      const pkg = await parseFile(file);
      const [name, epoch, version, release, arch, summary, license, url, group, vendor, packager, ...rest] =
        rpmQuery(file, SCALARS).split('\n');
      const [buildTime, buildHost, sourceRpm, size, archiveSize] = rest;
      expect({ name, epoch, version, release, arch, summary, license, url, group, vendor, packager }).toEqual(
        {
          name: pkg.name,
          epoch: pkg.epoch === undefined ? '' : String(pkg.epoch),
          version: pkg.version,
          release: pkg.release,
          arch: pkg.arch,
          summary: pkg.summary,
          license: pkg.license,
          url: pkg.url,
          group: pkg.group,
          vendor: pkg.vendor,
          packager: pkg.packager,
        },
      );
      expect([buildTime, buildHost, sourceRpm, size, archiveSize]).toEqual([
        String(pkg.buildTime),
        pkg.buildHost,
        pkg.sourceRpm,
        String(pkg.installedSize),
        String(pkg.archiveSize),
      ]);
      expect(pkg.description).toBe(rpmQuery(file, '%{DESCRIPTION}'));
      expect(pkg.isSource).toBe(false);
      expect(pkg.fileSize).toBe(statSync(file).size);

      for (const [kind, list] of [
        ['PROVIDE', pkg.provides],
        ['REQUIRE', pkg.requires],
        ['CONFLICT', pkg.conflicts],
        ['OBSOLETE', pkg.obsoletes],
        ['RECOMMEND', pkg.recommends],
        ['SUGGEST', pkg.suggests],
        ['SUPPLEMENT', pkg.supplements],
        ['ENHANCE', pkg.enhances],
      ] as const) {
        expect(depLines(list), kind).toEqual(rpmDeps(file, kind));
      }

      const files = rpmQuery(file, '[%{FILENAMES}\\n]').split('\n').filter(Boolean);
      expect(pkg.files.map((f) => f.path)).toEqual(files);
      const changelog = rpmQuery(file, '[%{CHANGELOGTIME}|%{CHANGELOGNAME}|%{CHANGELOGTEXT}\\n]');
      expect(pkg.changelogs.map((c) => `${c.date}|${c.author}|${c.text}\n`).join('')).toBe(changelog);
    });
  }

  it('reads the demo package details: epoch, weak deps, pre requires, file types, header range', async () => {
    const pkg = await parseFile(rpms.noarch);
    expect(pkg.epoch).toBe(2);
    expect(pkg.summary).toBe('Démo ☃ package — ünïcode');
    expect(pkg.requires.find((d) => d.name === 'shadow-utils')).toMatchObject({
      pre: true,
      flags: undefined,
    });
    expect(pkg.requires.find((d) => d.name === 'systemd')).toMatchObject({
      flags: 'GE',
      epoch: '1',
      version: '250',
      release: '1',
      pre: true,
    });
    expect(pkg.requires.find((d) => d.name === 'bash')).toMatchObject({
      flags: 'GE',
      epoch: '0',
      version: '4.0',
      pre: false,
    });
    expect(pkg.enhances).toEqual([
      { name: 'grep', flags: 'GT', epoch: '1', version: '2.0', release: '1', senseFlags: 4 },
    ]);
    expect(pkg.recommends.map((d) => d.name)).toEqual(['less']);
    expect(pkg.files).toEqual([
      { path: '/etc/demo/demo.conf', type: 'file' },
      { path: '/usr/bin/demo', type: 'file' },
      { path: '/usr/share/demo', type: 'dir' },
      { path: '/usr/share/demo/data.txt', type: 'file' },
      { path: '/var/lib/demo', type: 'dir' },
      { path: '/var/lib/demo/state', type: 'ghost' },
    ]);
    expect(pkg.changelogs).toHaveLength(4);
    expect(pkg.changelogs[0]?.author).toBe('Alice Example <alice@example.org> - 2:1.2.3-4');

    const bytes = readFileSync(rpms.noarch);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const sigLen = 16 + 16 * dv.getUint32(96 + 8) + dv.getUint32(96 + 12);
    const start = 96 + Math.ceil(sigLen / 8) * 8;
    const end = start + 16 + 16 * dv.getUint32(start + 8) + dv.getUint32(start + 12);
    expect([pkg.headerStart, pkg.headerEnd]).toEqual([start, end]);
    expect(pkg.signatureHeader.prefixLength).toBe(start);
    expect(pkg.signatureTags).toEqual([]);
    // rpm's own header-range tool agrees (sha256 of the main header = signature tag 273).
    expect(createHash('sha256').update(bytes.subarray(start, end)).digest('hex')).toBe(
      rpmQuery(rpms.noarch, '%{SHA256HEADER}'),
    );
  });

  it('reads a source rpm as arch "src" without SOURCERPM', async () => {
    const pkg = await parseFile(rpms.srpm);
    expect(pkg).toMatchObject({ name: 'demo', arch: 'src', isSource: true, sourceRpm: '', epoch: 2 });
    expect(pkg.files.map((f) => f.path)).toEqual(
      rpmQuery(rpms.srpm, '[%{FILENAMES}\\n]').split('\n').filter(Boolean),
    );
  });

  it('reads the same package whatever the chunk size', async () => {
    const whole = await parseRpm(fileChunks(rpms.x86, 1 << 20));
    const tiny = await parseRpm(fileChunks(rpms.x86, 1));
    expect(tiny).toEqual(whole);
    expect(whole.arch).toBe('x86_64');
    expect(whole.version).toBe('0.9~rc1');
  });
});
