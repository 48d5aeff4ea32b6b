// Where a .deb lives in the repository: dak's pool layout
// pool/<release>/<component>/<prefix>/<source>/<name>_<version-without-epoch>_<arch>.deb.
import { isValidArchitecture, PACKAGE_NAME } from './control-fields';
import { explainInvalidDebVersion, versionWithoutEpoch } from './version';

export interface PoolPackage {
  name: string;
  version: string;
  architecture: string;
  /** The Source field as in the control file; "name (version)" is allowed. */
  source?: string;
}

const PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;

function assertSafeSegments(value: string, label: string): void {
  const ok = value.split('/').every((segment) => PATH_SEGMENT.test(segment) && !segment.includes('..'));
  if (!ok) throw new TypeError(`${label} ${JSON.stringify(value)} is not a safe path segment`);
}

/** The source package name: the Source field without its "(version)", else the package name. */
export function sourcePackageName(pkg: Pick<PoolPackage, 'name' | 'source'>): string {
  const source = pkg.source?.trim().split(/\s+/)[0];
  return source ? source : pkg.name;
}

/** dak's pool prefix: first letter, or "lib" plus the next letter for lib* sources. */
export function poolPrefix(sourceName: string): string {
  return sourceName.startsWith('lib') && sourceName.length > 3
    ? sourceName.slice(0, 4)
    : sourceName.slice(0, 1);
}

/** `<name>_<version without epoch>_<arch>.deb`, after checking every part is path-safe. */
export function debFileName(pkg: Omit<PoolPackage, 'source'>): string {
  if (!PACKAGE_NAME.test(pkg.name)) throw new TypeError(`invalid package name ${JSON.stringify(pkg.name)}`);
  const problem = explainInvalidDebVersion(pkg.version);
  if (problem) throw new TypeError(`invalid version ${JSON.stringify(pkg.version)}: ${problem}`);
  if (!isValidArchitecture(pkg.architecture)) {
    throw new TypeError(`invalid architecture ${JSON.stringify(pkg.architecture)}`);
  }
  const fileName = `${pkg.name}_${versionWithoutEpoch(pkg.version)}_${pkg.architecture}.deb`;
  assertSafeSegments(fileName, 'file name');
  return fileName;
}

/** The pool path of a package, relative to the repository root (no leading "/"). */
export function poolPath(pkg: PoolPackage & { release: string; component: string }): string {
  assertSafeSegments(pkg.release, 'release');
  assertSafeSegments(pkg.component, 'component');
  const source = sourcePackageName(pkg);
  if (!PACKAGE_NAME.test(source))
    throw new TypeError(`invalid source package name ${JSON.stringify(source)}`);
  return ['pool', pkg.release, pkg.component, poolPrefix(source), source, debFileName(pkg)].join('/');
}
