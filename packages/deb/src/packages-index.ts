// Writes Packages index stanzas (formats.md 1.7): the control fields in apt's tagfile order
// with the archive fields (Filename, Size, hashes) of the stored .deb put in their place.
import { assertByteSize, assertHexDigest, assertRelativePath } from './checksum-fields';
import { type DebField, formatDeb822Stanza } from './deb822';

export interface ArchiveFileInfo {
  /** Path from the repository root, no leading "/" (e.g. "pool/main/h/hello/hello_2.10-3_amd64.deb"). */
  filename: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  sha512: string;
}

// apt-pkg/tagfile-order.c as digested in formats.md 1.7; unknown fields follow in file order.
const PACKAGES_FIELD_ORDER = [
  'Package',
  'Package-Type',
  'Architecture',
  'Version',
  'Built-Using',
  'Multi-Arch',
  'Priority',
  'Essential',
  'Section',
  'Source',
  'Origin',
  'Maintainer',
  'Original-Maintainer',
  'Bugs',
  'Installed-Size',
  'Provides',
  'Pre-Depends',
  'Depends',
  'Recommends',
  'Suggests',
  'Conflicts',
  'Breaks',
  'Replaces',
  'Enhances',
  'Filename',
  'Size',
  'MD5sum',
  'SHA1',
  'SHA256',
  'SHA512',
  'Homepage',
  'Description',
  'Description-md5',
  'Tag',
  'Task',
].map((name) => name.toLowerCase());

const ARCHIVE_FIELDS = new Set(['filename', 'size', 'md5sum', 'sha1', 'sha256', 'sha512']);

function archiveFields(archive: ArchiveFileInfo): DebField[] {
  assertRelativePath(archive.filename, 'Filename');
  assertByteSize(archive.size, 'Size');
  assertHexDigest(archive.md5, 'md5', 'MD5sum');
  assertHexDigest(archive.sha1, 'sha1', 'SHA1');
  assertHexDigest(archive.sha256, 'sha256', 'SHA256');
  assertHexDigest(archive.sha512, 'sha512', 'SHA512');
  return [
    ['Filename', archive.filename],
    ['Size', String(archive.size)],
    ['MD5sum', archive.md5],
    ['SHA1', archive.sha1],
    ['SHA256', archive.sha256],
    ['SHA512', archive.sha512],
  ];
}

function rankOf([name]: DebField): number {
  const index = PACKAGES_FIELD_ORDER.indexOf(name.toLowerCase());
  return index >= 0 ? index : PACKAGES_FIELD_ORDER.length;
}

/** The control fields plus the archive fields, in Packages order (stable for unknown fields). */
export function orderPackagesFields(fields: readonly DebField[], archive: ArchiveFileInfo): DebField[] {
  const controlFields = fields.filter(([name]) => !ARCHIVE_FIELDS.has(name.toLowerCase()));
  return [...controlFields, ...archiveFields(archive)]
    .map((field, position) => ({ field, position, rank: rankOf(field) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map(({ field }) => field);
}

/**
 * One Packages stanza. Every line, the last included, ends with "\n", and there is no blank line
 * after it: join stanzas with buildPackagesIndex (or `.join('\n')`).
 */
export function buildPackagesStanza(pkg: { fields: readonly DebField[] }, archive: ArchiveFileInfo): string {
  return formatDeb822Stanza(orderPackagesFields(pkg.fields, archive));
}

/** A whole Packages file: stanzas separated by one blank line, ending with "\n" ("" when empty). */
export function buildPackagesIndex(stanzas: readonly string[]): string {
  for (const stanza of stanzas) {
    if (!stanza.endsWith('\n') || stanza.endsWith('\n\n') || stanza.includes('\n\n')) {
      throw new TypeError('a Packages stanza must end with one newline and contain no blank line');
    }
  }
  return stanzas.join('\n');
}
