// Builds a small unsigned binary .rpm (noarch, regular files only, no scriptlets): lead, signature
// header (SHA256 of the header, MD5 and SIZE of header+payload, PAYLOADSIZE), immutable main header and
// a gzip-compressed cpio (newc) payload, as rpmbuild lays them out. Used for the packages Pallet makes
// itself (the repository keyring package); Pallet signs it like any upload. Written by hand: the field
// has no maintained JS RPM writer.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { buildHeader, type HeaderValue } from './header-write';
import { HeaderType, REGION_IMMUTABLE, REGION_SIGNATURES, SigTag, Tag } from './tags';

export interface RpmPayloadFile {
  /** absolute path, e.g. `/etc/pki/rpm-gpg/RPM-GPG-KEY-acme-tools` */
  path: string;
  bytes: Uint8Array;
  mode?: number;
  /** RPMFILE_* flags: 1 %config, 2 %doc (0 when absent) */
  flags?: number;
}

/** A dependency beyond the ones every built rpm carries: `>=`/`=` with a version, or none. */
export interface RpmBuildDependency {
  name: string;
  op?: '>=' | '=';
  version?: string;
}

export interface BuildRpmInput {
  name: string;
  version: string;
  release: string;
  summary: string;
  description: string;
  license: string;
  url?: string;
  files: RpmPayloadFile[];
  /** build time and file mtimes (seconds since the epoch) */
  mtime: number;
  /** further Requires (after the rpmlib() ones) */
  requires?: RpmBuildDependency[];
  /** further Provides (after the package's own `name = version-release`) */
  provides?: RpmBuildDependency[];
  /** changelog entries, newest first as in a spec file */
  changelog?: { time: number; author: string; text: string }[];
}

const enc = new TextEncoder();
const T = {
  HEADERI18NTABLE: 100,
  OS: 1021,
  FILESIZES: 1028,
  FILERDEVS: 1033,
  FILEMTIMES: 1034,
  FILEDIGESTS: 1035,
  FILELINKTOS: 1036,
  FILEUSERNAME: 1039,
  FILEGROUPNAME: 1040,
  FILEVERIFYFLAGS: 1045,
  RPMVERSION: 1064,
  FILEDEVICES: 1095,
  FILEINODES: 1096,
  FILELANGS: 1097,
  PAYLOADFORMAT: 1124,
  PAYLOADFLAGS: 1126,
  FILEDIGESTALGO: 5011,
  ENCODING: 5062,
};
const RPMSENSE_EQUAL = 1 << 3;
const RPMSENSE_LESS = 1 << 1;
const RPMSENSE_GREATER = 1 << 2;
const RPMSENSE_RPMLIB = 1 << 24;
const depFlags = (d: RpmBuildDependency) =>
  d.op === '>=' ? RPMSENSE_GREATER | RPMSENSE_EQUAL : d.op === '=' ? RPMSENSE_EQUAL : 0;
const SHA256_ALGO = 8;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._+~^]*$/;

const str = (tag: number, value: string, type: number = HeaderType.STRING): HeaderValue => ({
  tag,
  type,
  count: 1,
  data: enc.encode(`${value}\0`),
});
const strArray = (tag: number, values: string[]): HeaderValue => ({
  tag,
  type: HeaderType.STRING_ARRAY,
  count: values.length,
  data: enc.encode(values.map((v) => `${v}\0`).join('')),
});
function int32(tag: number, values: number[]): HeaderValue {
  const data = new Uint8Array(4 * values.length);
  const dv = new DataView(data.buffer);
  values.forEach((v, i) => {
    dv.setUint32(4 * i, v >>> 0);
  });
  return { tag, type: HeaderType.INT32, count: values.length, data };
}
function int16(tag: number, values: number[]): HeaderValue {
  const data = new Uint8Array(2 * values.length);
  const dv = new DataView(data.buffer);
  values.forEach((v, i) => {
    dv.setUint16(2 * i, v);
  });
  return { tag, type: HeaderType.INT16, count: values.length, data };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function cpioEntry(name: string, mode: number, ino: number, mtime: number, bytes: Uint8Array): Uint8Array[] {
  const nameBytes = enc.encode(`${name}\0`);
  const header = enc.encode(
    `070701${[ino, mode, 0, 0, 1, mtime, bytes.length, 0, 0, 0, 0, nameBytes.length, 0].map(hex8).join('')}`,
  );
  const namePad = (4 - ((header.length + nameBytes.length) % 4)) % 4;
  const dataPad = (4 - (bytes.length % 4)) % 4;
  return [header, nameBytes, new Uint8Array(namePad), bytes, new Uint8Array(dataPad)];
}

function lead(nevr: string): Uint8Array {
  const out = new Uint8Array(96);
  out.set([0xed, 0xab, 0xee, 0xdb, 3, 0, 0, 0, 0, 0]);
  out.set(enc.encode(nevr).subarray(0, 65), 10);
  out[77] = 1; // osnum: linux
  out[79] = 5; // signature type: header-style
  return out;
}

export function buildRpm(input: BuildRpmInput): Uint8Array {
  if (!NAME_RE.test(input.name)) throw new Error(`invalid rpm name: ${input.name}`);
  for (const v of [input.version, input.release]) {
    if (!VERSION_RE.test(v)) throw new Error(`invalid rpm version or release: ${v}`);
  }
  if (input.files.length === 0) throw new Error('an rpm needs at least one file');
  const files = [...input.files].sort((a, b) => a.path.localeCompare(b.path));
  const dirs: string[] = [];
  const dirIndexes: number[] = [];
  const baseNames: string[] = [];
  for (const f of files) {
    if (!f.path.startsWith('/') || f.path.endsWith('/') || f.path.split('/').some((s) => s === '..'))
      throw new Error(`rpm file path must be absolute and plain: ${f.path}`);
    const slash = f.path.lastIndexOf('/');
    const dir = f.path.slice(0, slash + 1);
    if (!dirs.includes(dir)) dirs.push(dir);
    dirIndexes.push(dirs.indexOf(dir));
    baseNames.push(f.path.slice(slash + 1));
  }
  const modes = files.map((f) => 0o100000 | (f.mode ?? 0o644));
  const archiveParts = files.flatMap((f, i) =>
    cpioEntry(`.${f.path}`, modes[i]!, i + 1, input.mtime, f.bytes),
  );
  archiveParts.push(...cpioEntry('TRAILER!!!', 0, 0, 0, new Uint8Array(0)));
  const archive = concat(archiveParts);
  const payload = gzipSync(archive, { level: 9 });
  const evr = `${input.version}-${input.release}`;
  const nevr = `${input.name}-${evr}`;
  const rpmlib: [string, string][] = [
    ['rpmlib(CompressedFileNames)', '3.0.4-1'],
    ['rpmlib(FileDigests)', '4.6.0-1'],
    ['rpmlib(PayloadFilesHavePrefix)', '4.0-1'],
  ];
  const requires = [
    ...rpmlib.map(([name, version]) => ({
      name,
      version,
      flags: RPMSENSE_LESS | RPMSENSE_EQUAL | RPMSENSE_RPMLIB,
    })),
    ...(input.requires ?? []).map((d) => ({ name: d.name, version: d.version ?? '', flags: depFlags(d) })),
  ];
  const provides = [
    { name: input.name, version: evr, flags: RPMSENSE_EQUAL },
    ...(input.provides ?? []).map((d) => ({ name: d.name, version: d.version ?? '', flags: depFlags(d) })),
  ];
  const changelog = input.changelog ?? [];
  const main = buildHeader(REGION_IMMUTABLE, [
    strArray(T.HEADERI18NTABLE, ['C']),
    str(Tag.NAME, input.name),
    str(Tag.VERSION, input.version),
    str(Tag.RELEASE, input.release),
    str(Tag.SUMMARY, input.summary, HeaderType.I18NSTRING),
    str(Tag.DESCRIPTION, input.description, HeaderType.I18NSTRING),
    int32(Tag.BUILDTIME, [input.mtime]),
    str(Tag.BUILDHOST, 'pallet'),
    int32(Tag.SIZE, [files.reduce((s, f) => s + f.bytes.length, 0)]),
    str(Tag.VENDOR, 'Pallet'),
    str(Tag.LICENSE, input.license),
    str(Tag.GROUP, 'System Environment/Base', HeaderType.I18NSTRING),
    ...(input.url ? [str(Tag.URL, input.url)] : []),
    str(T.OS, 'linux'),
    str(Tag.ARCH, 'noarch'),
    int32(
      T.FILESIZES,
      files.map((f) => f.bytes.length),
    ),
    int16(Tag.FILEMODES, modes),
    int16(
      T.FILERDEVS,
      files.map(() => 0),
    ),
    int32(
      T.FILEMTIMES,
      files.map(() => input.mtime),
    ),
    strArray(
      T.FILEDIGESTS,
      files.map((f) => createHash('sha256').update(f.bytes).digest('hex')),
    ),
    strArray(
      T.FILELINKTOS,
      files.map(() => ''),
    ),
    int32(
      Tag.FILEFLAGS,
      files.map((f) => f.flags ?? 0),
    ),
    strArray(
      T.FILEUSERNAME,
      files.map(() => 'root'),
    ),
    strArray(
      T.FILEGROUPNAME,
      files.map(() => 'root'),
    ),
    str(Tag.SOURCERPM, `${nevr}.src.rpm`),
    int32(
      T.FILEVERIFYFLAGS,
      files.map(() => 0xffffffff),
    ),
    strArray(
      Tag.PROVIDENAME,
      provides.map((d) => d.name),
    ),
    int32(
      Tag.REQUIREFLAGS,
      requires.map((d) => d.flags),
    ),
    strArray(
      Tag.REQUIRENAME,
      requires.map((d) => d.name),
    ),
    strArray(
      Tag.REQUIREVERSION,
      requires.map((d) => d.version),
    ),
    ...(changelog.length > 0
      ? [
          int32(
            Tag.CHANGELOGTIME,
            changelog.map((c) => c.time),
          ),
          strArray(
            Tag.CHANGELOGNAME,
            changelog.map((c) => c.author),
          ),
          strArray(
            Tag.CHANGELOGTEXT,
            changelog.map((c) => c.text),
          ),
        ]
      : []),
    str(T.RPMVERSION, '4.18.0'),
    int32(
      T.FILEDEVICES,
      files.map(() => 1),
    ),
    int32(
      T.FILEINODES,
      files.map((_, i) => i + 1),
    ),
    strArray(
      T.FILELANGS,
      files.map(() => ''),
    ),
    int32(
      Tag.PROVIDEFLAGS,
      provides.map((d) => d.flags),
    ),
    strArray(
      Tag.PROVIDEVERSION,
      provides.map((d) => d.version),
    ),
    int32(Tag.DIRINDEXES, dirIndexes),
    strArray(Tag.BASENAMES, baseNames),
    strArray(Tag.DIRNAMES, dirs),
    str(T.PAYLOADFORMAT, 'cpio'),
    str(Tag.PAYLOADCOMPRESSOR, 'gzip'),
    str(T.PAYLOADFLAGS, '9'),
    int32(T.FILEDIGESTALGO, [SHA256_ALGO]),
    str(T.ENCODING, 'utf-8'),
    strArray(Tag.PAYLOADDIGEST, [createHash('sha256').update(payload).digest('hex')]),
    int32(Tag.PAYLOADDIGESTALGO, [SHA256_ALGO]),
  ]);
  const md5 = createHash('md5').update(main).update(payload).digest();
  const sig = buildHeader(REGION_SIGNATURES, [
    str(SigTag.SHA256, createHash('sha256').update(main).digest('hex')),
    int32(SigTag.SIZE, [main.length + payload.length]),
    { tag: SigTag.MD5, type: HeaderType.BIN, count: 16, data: new Uint8Array(md5) },
    int32(SigTag.PAYLOADSIZE, [archive.length]),
  ]);
  const sigPadded = new Uint8Array(sig.length + ((8 - (sig.length % 8)) % 8));
  sigPadded.set(sig);
  return concat([lead(nevr), sigPadded, main, payload]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
