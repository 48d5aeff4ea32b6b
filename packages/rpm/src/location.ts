// File names and repository paths of packages: `name-version-release.arch.rpm` under `Packages/<letter>/`.
// Written by hand: the field has no maintained JS RPM reader.
import { checkNevra } from './package-fields';

export interface RpmNevra {
  name: string;
  version: string;
  release: string;
  arch: string;
}

export function rpmFileName(pkg: RpmNevra): string {
  return `${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}.rpm`;
}

/** The href of the package in primary.xml; refuses (RpmFormatError) a NEVRA that would not be one path. */
export function rpmLocationHref(pkg: RpmNevra): string {
  checkNevra(pkg);
  const first = (pkg.name[0] ?? '_').toLowerCase();
  return `Packages/${first}/${rpmFileName(pkg)}`;
}
