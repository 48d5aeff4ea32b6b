// Dependency lists as createrepo_c writes them to primary.xml (`parsehdr.c`): requires lose rpmlib(),
// own primary files, self-provides and repeats; only the highest libc.so.6 stays. Written by hand (no JS port exists).
import { rpmvercmp } from './rpmvercmp';
import type { RpmDependency, RpmPackage } from './types';

/** createrepo_c `cr_is_primary`: the files listed in primary.xml, not only in filelists.xml. */
export function isPrimaryFile(path: string): boolean {
  return path.startsWith('/etc/') || path === '/usr/lib/sendmail' || path.includes('bin/');
}

/** Built with createrepo_c's legacy weak deps on (Debian, Fedora): MISSINGOK requires are recommends. */
const SENSE_MISSINGOK = 1 << 19;

function evrKey(d: RpmDependency): string {
  if (d.version === undefined) return '';
  return `${d.epoch ?? '0'}:${d.version}${d.release === undefined ? '' : `-${d.release}`}`;
}

function depKey(d: RpmDependency): string {
  return `${d.name}\u0000${d.flags ?? ''}\u0000${evrKey(d)}`;
}

/** Version inside the first parentheses of `libc.so.6(GLIBC_2.34)(64bit)`, or '' / undefined. */
function libcVersion(name: string): string | undefined {
  const open = name.indexOf('(');
  if (open < 0) return undefined;
  const close = name.indexOf(')', open);
  if (close < 0) return undefined;
  const inner = name.slice(open + 1, close);
  const digit = inner.search(/[0-9]/);
  return digit < 0 ? '' : inner.slice(digit);
}

/** True when `b` is a higher libc.so.6 requirement than `a` (createrepo_c `cr_compare_dependency`). */
function libcHigher(a: string, b: string): boolean {
  const va = libcVersion(a);
  const vb = libcVersion(b);
  if (va === undefined || vb === undefined) return va === undefined && vb !== undefined;
  if (va === '' || vb === '') return va === '' && vb !== '';
  return rpmvercmp(va, vb) < 0;
}

export interface RepodataDependencies {
  provides: RpmDependency[];
  requires: RpmDependency[];
  conflicts: RpmDependency[];
  obsoletes: RpmDependency[];
  suggests: RpmDependency[];
  enhances: RpmDependency[];
  recommends: RpmDependency[];
  supplements: RpmDependency[];
}

export function repodataDependencies(pkg: RpmPackage): RepodataDependencies {
  const provided = new Set(pkg.provides.map(depKey));
  const ownFiles = new Set(pkg.files.map((f) => f.path));
  const lastByName = new Map<string, string>();
  const requires: RpmDependency[] = [];
  const legacyRecommends: RpmDependency[] = [];
  let libc: RpmDependency | undefined;

  for (const dep of pkg.requires) {
    if (dep.name.startsWith('rpmlib(')) continue;
    if (dep.name.startsWith('/') && ownFiles.has(dep.name) && isPrimaryFile(dep.name)) continue;
    if (provided.has(depKey(dep))) continue;
    const seenKey = `${depKey(dep)}\u0000${dep.pre ? 1 : 0}`;
    if (lastByName.get(dep.name) === seenKey) continue;
    if (dep.senseFlags & SENSE_MISSINGOK) {
      legacyRecommends.push({ ...dep, pre: false });
      continue;
    }
    if (dep.name.startsWith('libc.so.6')) {
      if (!libc || libcHigher(libc.name, dep.name)) libc = dep;
      continue;
    }
    requires.push(dep);
    lastByName.set(dep.name, seenKey);
  }
  if (libc) requires.push(libc);

  return {
    provides: pkg.provides,
    requires,
    conflicts: pkg.conflicts,
    obsoletes: pkg.obsoletes,
    suggests: pkg.suggests,
    enhances: pkg.enhances,
    recommends: [...pkg.recommends, ...legacyRecommends],
    supplements: pkg.supplements,
  };
}
