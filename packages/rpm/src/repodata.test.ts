import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFilelistsEntry, buildOtherEntry } from './filelists-xml';
import { rpmLocationHref } from './location';
import { parseRpm } from './parse-rpm';
import { buildPrimaryEntry } from './primary-xml';
import { appendRepodata, buildRepodata, openRepodataBase } from './repodata';
import { buildTestRpms, fileChunks, type TestRpms } from './test-support/rpm-fixtures';

let rpms: TestRpms;
let repo: string;
let ours: { primary: string[]; filelists: string[]; other: string[] };

beforeAll(async () => {
  rpms = buildTestRpms();
  repo = join(rpms.dir, 'repo');
  ours = { primary: [], filelists: [], other: [] };
  for (const source of [rpms.noarch, rpms.x86]) {
    const pkg = await parseRpm(fileChunks(source));
    const href = rpmLocationHref(pkg);
    const target = join(repo, href);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    const bytes = readFileSync(target);
    const file = {
      pkgid: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      time: Math.floor(statSync(target).mtimeMs / 1000),
      locationHref: href,
    };
    ours.primary.push(buildPrimaryEntry(pkg, file));
    ours.filelists.push(buildFilelistsEntry(pkg, file));
    ours.other.push(buildOtherEntry(pkg, file));
  }
  const { files, repomdXml } = buildRepodata({ ...ours, revision: '42', timestamp: 1700000000 });
  mkdirSync(join(repo, 'repodata'));
  for (const f of files) writeFileSync(join(repo, f.path), f.bytes);
  writeFileSync(join(repo, 'repodata', 'repomd.xml'), repomdXml);
});
afterAll(() => rpms?.cleanup());

function dnf(args: string[], repoDir = repo): string {
  const root = join(rpms.dir, repoDir === repo ? 'dnf' : 'dnf-appended');
  const reposdir = join(root, 'repos.d');
  mkdirSync(reposdir, { recursive: true });
  mkdirSync(join(root, 'log'), { recursive: true });
  writeFileSync(
    join(reposdir, 'pallet.repo'),
    `[pallet]\nname=pallet test\nbaseurl=file://${repoDir}\ngpgcheck=0\nrepo_gpgcheck=0\n`,
  );
  return execFileSync(
    'dnf',
    [
      '-q',
      `--installroot=${join(root, 'root')}`,
      `--setopt=reposdir=${reposdir}`,
      `--setopt=cachedir=${join(root, 'cache')}`,
      `--setopt=logdir=${join(root, 'log')}`,
      '--releasever=9',
      '--disablerepo=*',
      '--enablerepo=pallet',
      ...args,
    ],
    { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } },
  );
}

/** `<package …>…</package>` fragments of a createrepo_c document, keyed by package name. */
function fragments(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<package[ >][\s\S]*?<\/package>\n?/g)) {
    const name = /<name>([^<]*)<\/name>/.exec(m[0])?.[1] ?? /name="([^"]*)"/.exec(m[0])?.[1] ?? '';
    out.set(name, m[0].endsWith('\n') ? m[0] : `${m[0]}\n`);
  }
  return out;
}

describe('repodata for packages built by rpmbuild', () => {
  it('is read by dnf, which lists the packages and their dependencies', () => {
    const listed = dnf([
      'repoquery',
      '--available',
      '--qf',
      '%{name}|%{epoch}|%{version}|%{release}|%{arch}',
    ]);
    expect(listed.trim().split('\n').sort()).toEqual([
      'Zeta-tool|0|0.9~rc1|1.el9|x86_64',
      'demo|2|1.2.3|4|noarch',
    ]);
    const requires = dnf(['repoquery', '--available', '--requires', 'demo']);
    expect(requires.trim().split('\n')).toEqual([
      '/bin/sh',
      'bash >= 4.0',
      'coreutils',
      'libc.so.6(GLIBC_2.34)(64bit)',
      'shadow-utils',
      'systemd >= 1:250-1',
    ]);
    expect(dnf(['repoquery', '--available', '--recommends', 'demo']).trim()).toBe('less');
    expect(dnf(['repoquery', '--available', '--enhances', 'demo']).trim()).toBe('grep > 1:2.0-1');
    expect(dnf(['repoquery', '--available', '--whatprovides', '/usr/sbin/zeta']).trim()).toBe(
      'Zeta-tool-0:0.9~rc1-1.el9.x86_64',
    );
  });

  it('writes the same package entries as createrepo_c for the same files', () => {
    const out = join(rpms.dir, 'createrepo');
    mkdirSync(out);
    execFileSync('createrepo_c', ['-q', '--no-database', '--outputdir', out, repo]);
    const dir = join(out, 'repodata');
    const read = (type: string) => {
      const name = readdirSync(dir).find((f) => f.endsWith(`-${type}.xml.gz`));
      return gunzipSync(readFileSync(join(dir, name ?? 'missing'))).toString('utf8');
    };
    const theirs = {
      primary: fragments(read('primary')),
      filelists: fragments(read('filelists')),
      other: fragments(read('other')),
    };
    for (const type of ['primary', 'filelists', 'other'] as const) {
      const mine = fragments(ours[type].join(''));
      expect([...mine.keys()].sort(), type).toEqual([...theirs[type].keys()].sort());
      for (const [name, fragment] of mine) expect(fragment, `${type} ${name}`).toBe(theirs[type].get(name));
    }
  });

  it('is read by dnf after a package was appended (appendRepodata: more gzip members)', async () => {
    const appendedRepo = join(rpms.dir, 'appended');
    mkdirSync(join(appendedRepo, 'repodata'), { recursive: true });
    for (const f of readdirSync(repo, { recursive: true, withFileTypes: true })) {
      if (!f.isFile() || !f.name.endsWith('.rpm')) continue;
      const from = join(f.parentPath, f.name);
      const to = join(appendedRepo, from.slice(repo.length));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
    const one = (type: keyof typeof ours, i: number) => [ours[type][i] ?? ''];
    const first = buildRepodata({
      primary: one('primary', 0),
      filelists: one('filelists', 0),
      other: one('other', 0),
      revision: '1',
      timestamp: 1700000000,
    });
    const get = (type: string) => first.files.find((f) => f.path.endsWith(`-${type}.xml.gz`))?.bytes;
    const base = await openRepodataBase(
      { primary: get('primary')!, filelists: get('filelists')!, other: get('other')! },
      1,
    );
    expect(base).not.toBeNull();
    const { files, repomdXml } = appendRepodata(base!, {
      primary: one('primary', 1),
      filelists: one('filelists', 1),
      other: one('other', 1),
      revision: '2',
      timestamp: 1700000001,
    });
    for (const f of files) writeFileSync(join(appendedRepo, f.path), f.bytes);
    writeFileSync(join(appendedRepo, 'repodata', 'repomd.xml'), repomdXml);
    const listed = dnf(['repoquery', '--available', '--qf', '%{name}|%{version}|%{arch}'], appendedRepo);
    expect(listed.trim().split('\n').sort()).toEqual(['Zeta-tool|0.9~rc1|x86_64', 'demo|1.2.3|noarch']);
    expect(dnf(['repoquery', '--available', '--whatprovides', '/usr/sbin/zeta'], appendedRepo).trim()).toBe(
      'Zeta-tool-0:0.9~rc1-1.el9.x86_64',
    );
    // createrepo_c --update accepts the appended files.
    execFileSync('createrepo_c', ['-q', '--update', '--no-database', appendedRepo]);
    const dir = join(appendedRepo, 'repodata');
    const name = readdirSync(dir).find((f) => f.endsWith('-primary.xml.gz'));
    expect(gunzipSync(readFileSync(join(dir, name ?? 'missing'))).toString()).toContain('packages="2"');
  });
});
