// Test-only: builds small real packages with the system `rpmbuild` (own _topdir and HOME in a temp dir)
// and wraps the `rpm` CLI for comparisons. Never imported by the library.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEMO_SPEC = `Name: demo
Version: 1.2.3
Release: 4
Epoch: 2
Summary: Démo ☃ package — ünïcode
License: MIT
URL: https://example.org/demo?a=1&b=2
Group: Applications/System
Vendor: Pallet <tests>
Packager: Pallet Tests <tests@example.org>
BuildArch: noarch
Requires: bash >= 4.0
Requires: coreutils
Requires: coreutils
Requires: demo-virtual = 1.2
Requires: /usr/bin/demo
Requires: libc.so.6(GLIBC_2.4)
Requires: libc.so.6(GLIBC_2.34)(64bit)
Requires: libc.so.6()
Requires(pre): shadow-utils
Requires(post): systemd >= 1:250-1
Recommends: less
Suggests: vim
Supplements: coreutils
Enhances: grep > 1:2.0-1
Provides: demo-virtual = 1.2
Conflicts: demo-old < 1.0
Obsoletes: demo-legacy <= 0.9

%description
A demo package
with two lines & <markup> "quoted".

%install
mkdir -p %{buildroot}/etc/demo %{buildroot}/usr/bin %{buildroot}/usr/share/demo %{buildroot}/var/lib/demo
echo conf > %{buildroot}/etc/demo/demo.conf
printf '#!/bin/sh\\necho hi\\n' > %{buildroot}/usr/bin/demo
chmod 755 %{buildroot}/usr/bin/demo
echo data > %{buildroot}/usr/share/demo/data.txt

%pre
true
%post
true
%preun
true

%files
%config(noreplace) /etc/demo/demo.conf
/usr/bin/demo
%dir /usr/share/demo
/usr/share/demo/data.txt
%dir /var/lib/demo
%ghost /var/lib/demo/state

%changelog
* Wed Jan 10 2024 Alice Example <alice@example.org> - 2:1.2.3-4
- third entry
* Tue Jan 09 2024 Bob <bob@example.org> - 1.2.3-3
- second & <escaped>
* Tue Jan 09 2024 Carol <carol@example.org> - 1.2.3-2
- same day entry
* Mon Jan 01 2024 Alice Example <alice@example.org> - 1.0-1
- first
`;

const TOOL_SPEC = `Name: Zeta-tool
Version: 0.9~rc1
Release: 1.el9
Summary: An x86_64 test tool
License: Apache-2.0
URL: https://example.org/zeta

%description
Architecture-specific test package.

%install
mkdir -p %{buildroot}/usr/sbin %{buildroot}/usr/lib/zeta
printf '#!/bin/sh\\nexit 0\\n' > %{buildroot}/usr/sbin/zeta
chmod 755 %{buildroot}/usr/sbin/zeta
head -c 20000 /dev/urandom > %{buildroot}/usr/lib/zeta/blob.bin

%files
/usr/sbin/zeta
/usr/lib/zeta

%changelog
* Fri Mar 01 2024 Zed <zed@example.org> - 0.9~rc1-1
- initial
`;

export interface TestRpms {
  dir: string;
  /** demo-1.2.3-4.noarch.rpm */
  noarch: string;
  /** Zeta-tool-0.9~rc1-1.el9.x86_64.rpm */
  x86: string;
  /** demo-1.2.3-4.src.rpm */
  srpm: string;
  cleanup(): void;
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pallet-rpm-${prefix}-`));
}

function rpmbuild(top: string, home: string, spec: string, extra: string[]): void {
  execFileSync(
    'rpmbuild',
    ['--define', `_topdir ${top}`, '--define', 'debug_package %{nil}', '--quiet', ...extra, '-bb', spec],
    { env: { ...process.env, HOME: home, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export function buildTestRpms(): TestRpms {
  const dir = makeTempDir('build');
  const home = join(dir, 'home');
  const top = join(dir, 'top');
  mkdirSync(home);
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const demo = join(top, 'SPECS', 'demo.spec');
  const tool = join(top, 'SPECS', 'zeta.spec');
  writeFileSync(demo, DEMO_SPEC);
  writeFileSync(tool, TOOL_SPEC);
  rpmbuild(top, home, demo, []);
  rpmbuild(top, home, tool, ['--target', 'x86_64']);
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bs', demo], {
    env: { ...process.env, HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const find = (arch: string) => {
    const name = readdirSync(join(top, 'RPMS', arch)).find((f) => f.endsWith('.rpm'));
    if (!name) throw new Error(`rpmbuild produced no ${arch} package`);
    return join(top, 'RPMS', arch, name);
  };
  const srpm = join(top, 'SRPMS', readdirSync(join(top, 'SRPMS'))[0] ?? 'missing');
  return {
    dir,
    srpm,
    noarch: find('noarch'),
    x86: find('x86_64'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function rpmQuery(file: string, queryFormat: string): string {
  return execFileSync('rpm', ['-qp', '--nosignature', '--nodigest', '--queryformat', queryFormat, file], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
}

/** The file as a stream of small chunks, to exercise chunk boundaries. */
export function fileChunks(path: string, chunkSize = 1000): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: chunkSize });
}

export async function* bytesChunks(bytes: Uint8Array, chunkSize = 7): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}
