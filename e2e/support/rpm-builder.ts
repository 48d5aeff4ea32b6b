// Builds small .rpm packages with the system rpmbuild for the client tests: no scriptlets and no
// automatic dependencies, so dnf and zypper can install them into an empty --installroot / --root.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RpmSpec {
  name: string;
  version: string;
  release: string;
  arch: 'noarch' | 'x86_64';
  requires?: string[];
  /** Installed as /usr/share/{name}/README. */
  body?: string;
}

export function buildRpm(dir: string, p: RpmSpec): string {
  const top = join(dir, `rpmbuild-${p.name}-${p.version}-${p.release}.${p.arch}`);
  const home = join(top, 'home');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const spec = join(top, 'SPECS', `${p.name}.spec`);
  writeFileSync(
    spec,
    [
      `Name: ${p.name}`,
      `Version: ${p.version}`,
      `Release: ${p.release}`,
      `Summary: ${p.name} test package`,
      'License: MIT',
      'URL: https://pallet.invalid/',
      'AutoReqProv: no',
      ...(p.arch === 'noarch' ? ['BuildArch: noarch'] : []),
      ...(p.requires ?? []).map((r) => `Requires: ${r}`),
      '',
      '%description',
      'Built by the Pallet test suite.',
      '',
      '%install',
      `mkdir -p %{buildroot}/usr/share/${p.name}`,
      `cat > %{buildroot}/usr/share/${p.name}/README <<'PALLET_EOF'`,
      (p.body ?? `${p.name} ${p.version}-${p.release}`).trimEnd(),
      'PALLET_EOF',
      '',
      '%files',
      `/usr/share/${p.name}`,
      '',
    ].join('\n'),
  );
  execFileSync(
    'rpmbuild',
    [
      '--define',
      `_topdir ${top}`,
      '--define',
      'debug_package %{nil}',
      '--quiet',
      ...(p.arch === 'x86_64' ? ['--target', 'x86_64'] : []),
      '-bb',
      spec,
    ],
    { env: { ...process.env, HOME: home, LC_ALL: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = join(top, 'RPMS', p.arch);
  const file = readdirSync(out).find((f) => f.endsWith('.rpm'));
  if (!file) throw new Error(`rpmbuild produced no ${p.arch} package for ${p.name}`);
  return join(out, file);
}
