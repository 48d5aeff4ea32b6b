// Writes a suite's Release file (formats.md 1.2/1.3) in the field order apt-ftparchive and dak
// use, with MD5Sum/SHA1/SHA256/SHA512 lists whose paths are relative to dists/<suite>/.
import { assertByteSize, assertHexDigest, assertRelativePath } from './checksum-fields';
import { isValidArchitecture } from './control-fields';
import { type DebField, formatDeb822Stanza } from './deb822';

export interface ReleaseIndexFile {
  /** Relative to dists/<suite>/, e.g. "main/binary-amd64/Packages.xz". */
  path: string;
  size: number;
  md5: string;
  sha1?: string;
  sha256: string;
  sha512: string;
}

export interface ReleaseFileOptions {
  origin: string;
  label: string;
  suite: string;
  codename: string;
  date: Date;
  validUntil?: Date;
  architectures: string[];
  components: string[];
  description?: string;
  acquireByHash: boolean;
  /**
   * Writes `No-Support-for-Architecture-all: Packages` (as the Debian archive does): apt >= 1.2 then
   * never downloads binary-all/Packages and reads arch-all packages only from each architecture's
   * index. Leave it off when binary-all/Packages must reach machines of architectures the suite does
   * not list (an armhf machine and an all-only suite); apt then reads both and merges the duplicates.
   */
  noSupportForArchitectureAll?: boolean;
  /** Full OpenPGP fingerprints (40 hex, optional "!" suffix). */
  signedBy?: string[];
  files: ReleaseIndexFile[];
}

/** `Sat, 09 Nov 2024 10:36:40 UTC`: RFC 2822 in UTC, the only zone spelling apt accepts for sure. */
export function formatReleaseDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('Release date is not a valid Date');
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

function assertOneLine(value: string, label: string): void {
  if (value !== value.trim() || /[\r\n]/.test(value) || value === '') {
    throw new TypeError(`Release ${label} must be one non-empty line without surrounding spaces`);
  }
}

function assertWords(values: readonly string[], label: string, isValid: (value: string) => boolean): void {
  if (values.length === 0) throw new TypeError(`Release ${label} must not be empty`);
  if (new Set(values).size !== values.length) throw new TypeError(`Release ${label} has duplicates`);
  for (const value of values) {
    if (!isValid(value)) throw new TypeError(`Release ${label}: ${JSON.stringify(value)} is not valid`);
  }
}

type HashListName = 'MD5Sum' | 'SHA1' | 'SHA256' | 'SHA512';
type HashKey = 'md5' | 'sha1' | 'sha256' | 'sha512';

function checksumList(files: readonly ReleaseIndexFile[], key: HashKey): string {
  const width = Math.max(...files.map((file) => String(file.size).length));
  return files.map((file) => `\n ${file[key]} ${String(file.size).padStart(width)} ${file.path}`).join('');
}

function checksumFields(files: readonly ReleaseIndexFile[]): DebField[] {
  if (files.length === 0) return [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const withSha1 = sorted.filter((file) => file.sha1 !== undefined).length;
  if (withSha1 !== 0 && withSha1 !== sorted.length) {
    throw new TypeError(
      'Release files: give sha1 for every file or for none (each file must be in every list)',
    );
  }
  for (const [index, file] of sorted.entries()) {
    const label = `Release file ${file.path}`;
    assertRelativePath(file.path, label);
    if (index > 0 && sorted[index - 1]?.path === file.path) throw new TypeError(`${label} is listed twice`);
    assertByteSize(file.size, label);
    assertHexDigest(file.md5, 'md5', label);
    if (file.sha1 !== undefined) assertHexDigest(file.sha1, 'sha1', label);
    assertHexDigest(file.sha256, 'sha256', label);
    assertHexDigest(file.sha512, 'sha512', label);
  }
  const lists: Array<[HashListName, HashKey]> = [
    ['MD5Sum', 'md5'],
    ...(withSha1 ? ([['SHA1', 'sha1']] as Array<[HashListName, HashKey]>) : []),
    ['SHA256', 'sha256'],
    ['SHA512', 'sha512'],
  ];
  return lists.map(([name, key]) => [name, checksumList(sorted, key)]);
}

/**
 * The Release text, ending with "\n". Architectures are written sorted (their order carries no
 * meaning); components keep the caller's order (conventionally "main" first); files are sorted
 * by path and appear in every checksum list.
 */
export function buildReleaseFile(opts: ReleaseFileOptions): string {
  for (const [label, value] of [
    ['Origin', opts.origin],
    ['Label', opts.label],
    ['Suite', opts.suite],
    ['Codename', opts.codename],
  ] as const) {
    assertOneLine(value, label);
  }
  assertWords(opts.architectures, 'Architectures', isValidArchitecture);
  assertWords(opts.components, 'Components', (value) => /^[A-Za-z0-9][A-Za-z0-9._+/-]*$/.test(value));
  const architectures = [...opts.architectures].sort();
  const fields: DebField[] = [
    ['Origin', opts.origin],
    ['Label', opts.label],
    ['Suite', opts.suite],
    ['Codename', opts.codename],
    ['Date', formatReleaseDate(opts.date)],
  ];
  if (opts.validUntil) fields.push(['Valid-Until', formatReleaseDate(opts.validUntil)]);
  if (opts.acquireByHash) fields.push(['Acquire-By-Hash', 'yes']);
  if (opts.noSupportForArchitectureAll) {
    if (!architectures.includes('all'))
      throw new TypeError('Release No-Support-for-Architecture-all needs all in Architectures');
    fields.push(['No-Support-for-Architecture-all', 'Packages']);
  }
  fields.push(['Architectures', architectures.join(' ')], ['Components', opts.components.join(' ')]);
  if (opts.description !== undefined) {
    assertOneLine(opts.description, 'Description');
    fields.push(['Description', opts.description]);
  }
  if (opts.signedBy && opts.signedBy.length > 0) {
    assertWords(opts.signedBy, 'Signed-By', (value) => /^[0-9A-F]{40}!?$/i.test(value));
    fields.push(['Signed-By', opts.signedBy.join(', ')]);
  }
  fields.push(...checksumFields(opts.files));
  return formatDeb822Stanza(fields);
}
