// Builds small, dependency-free .deb packages with dpkg-deb for the tests.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function buildDeb(
  dir: string,
  p: { name: string; version: string; arch?: string; body?: string },
): string {
  const arch = p.arch ?? 'all';
  const root = join(dir, `${p.name}_${p.version}_${arch}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc', p.name), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    [
      `Package: ${p.name}`,
      `Version: ${p.version}`,
      `Architecture: ${arch}`,
      'Maintainer: Pallet Tests <tests@pallet.invalid>',
      'Section: misc',
      'Priority: optional',
      `Description: ${p.name} test package`,
      ' Built by the Pallet test suite.',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'usr/share/doc', p.name, 'README'), p.body ?? `${p.name} ${p.version}\n`);
  chmodSync(join(root, 'DEBIAN'), 0o755);
  const out = join(dir, `${p.name}_${p.version}_${arch}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, out], { stdio: 'ignore' });
  return out;
}
