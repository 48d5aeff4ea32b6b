// One `<package>` element of primary.xml (formats.md 2.3), laid out as createrepo_c writes it.
// Written by hand: the field has no maintained JS repodata writer.
import { isPrimaryFile, repodataDependencies } from './repodata-deps';
import type { RpmDependency, RpmFile, RpmPackage } from './types';
import { xmlAttr, xmlText } from './xml-text';

export interface PackageFileInfo {
  /** Hex SHA-256 of the file as served (after signing). */
  pkgid: string;
  /** Bytes of the file as served. */
  size: number;
  /** Unix seconds (createrepo_c uses the file's mtime). */
  time: number;
  /** Path relative to the repository base, e.g. `Packages/f/foo-1.0-1.noarch.rpm`. */
  locationHref: string;
}

export function versionElement(pkg: RpmPackage): string {
  return `<version epoch="${pkg.epoch ?? 0}" ver="${xmlAttr(pkg.version)}" rel="${xmlAttr(pkg.release)}"/>`;
}

export function fileElement(file: RpmFile, indent: string): string {
  const type = file.type === 'file' ? '' : ` type="${file.type}"`;
  return `${indent}<file${type}>${xmlText(file.path)}</file>\n`;
}

function entryElement(dep: RpmDependency, withPre: boolean): string {
  let out = `      <rpm:entry name="${xmlAttr(dep.name)}"`;
  if (dep.flags) {
    out += ` flags="${dep.flags}"`;
    if (dep.epoch) out += ` epoch="${xmlAttr(dep.epoch)}"`;
    if (dep.version) out += ` ver="${xmlAttr(dep.version)}"`;
    if (dep.release) out += ` rel="${xmlAttr(dep.release)}"`;
  }
  if (withPre && dep.pre) out += ' pre="1"';
  return `${out}/>\n`;
}

function dependencyBlock(element: string, deps: RpmDependency[], withPre = false): string {
  const entries = deps.filter((d) => d.name !== '');
  if (entries.length === 0) return '';
  let out = `    <rpm:${element}>\n`;
  for (const dep of entries) out += entryElement(dep, withPre);
  return `${out}    </rpm:${element}>\n`;
}

function textElement(name: string, value: string, indent = '  '): string {
  return `${indent}<${name}>${xmlText(value)}</${name}>\n`;
}

export function buildPrimaryEntry(pkg: RpmPackage, file: PackageFileInfo): string {
  const deps = repodataDependencies(pkg);
  let out = '<package type="rpm">\n';
  out += textElement('name', pkg.name);
  out += textElement('arch', pkg.arch);
  out += `  ${versionElement(pkg)}\n`;
  out += `  <checksum type="sha256" pkgid="YES">${xmlText(file.pkgid)}</checksum>\n`;
  out += textElement('summary', pkg.summary);
  out += textElement('description', pkg.description);
  out += textElement('packager', pkg.packager);
  out += textElement('url', pkg.url);
  out += `  <time file="${file.time}" build="${pkg.buildTime}"/>\n`;
  out += `  <size package="${file.size}" installed="${pkg.installedSize}" archive="${pkg.archiveSize}"/>\n`;
  out += `  <location href="${xmlAttr(file.locationHref)}"/>\n`;
  out += '  <format>\n';
  out += textElement('rpm:license', pkg.license, '    ');
  out += textElement('rpm:vendor', pkg.vendor, '    ');
  out += textElement('rpm:group', pkg.group, '    ');
  out += textElement('rpm:buildhost', pkg.buildHost, '    ');
  out += textElement('rpm:sourcerpm', pkg.sourceRpm, '    ');
  out += `    <rpm:header-range start="${pkg.headerStart}" end="${pkg.headerEnd}"/>\n`;
  out += dependencyBlock('provides', deps.provides);
  out += dependencyBlock('requires', deps.requires, true);
  out += dependencyBlock('conflicts', deps.conflicts);
  out += dependencyBlock('obsoletes', deps.obsoletes);
  out += dependencyBlock('suggests', deps.suggests);
  out += dependencyBlock('enhances', deps.enhances);
  out += dependencyBlock('recommends', deps.recommends);
  out += dependencyBlock('supplements', deps.supplements);
  for (const f of pkg.files) if (isPrimaryFile(f.path)) out += fileElement(f, '    ');
  return `${out}  </format>\n</package>\n`;
}
