// Assembles primary/filelists/other documents from per-package fragments, gzips them and writes
// repomd.xml (formats.md 2.2). Written by hand: the field has no maintained JS repodata writer.
//
// Each .xml.gz is three or more gzip members: the head (XML declaration and the opening element with
// the package count), the package entries (one member, or several after appends) and the closing
// element. zlib's gzread (libsolv, librepo, zypper, createrepo_c), Python's gzip and Go's reader all
// read concatenated members as one stream. The layout lets a publication that only adds packages
// reuse the compressed entries of the current one (appendRepodata): new head, the same entry members,
// one member for the added entries, the same tail; only the open-checksum needs the old entries
// inflated again.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzipSync } from 'node:zlib';
import { xmlAttr, xmlText } from './xml-text';

export interface RepodataInput {
  /** `<package>` fragments from buildPrimaryEntry / buildFilelistsEntry / buildOtherEntry, same order. */
  primary: string[];
  filelists: string[];
  other: string[];
  revision: string;
  /** Unix seconds written as each file's `<timestamp>`. */
  timestamp: number;
}

export interface RepodataFile {
  /** `repodata/<sha256 of the gzip bytes>-<type>.xml.gz`, relative to the repository base. */
  path: string;
  bytes: Uint8Array;
  /** hex sha256 of `bytes` (the checksum repomd.xml lists) */
  sha256: string;
}

export interface Repodata {
  files: RepodataFile[];
  repomdXml: string;
  /** these files opened as a base for the next appendRepodata (what openRepodataBase would return) */
  next: RepodataBase;
}

const TYPES = ['primary', 'filelists', 'other'] as const;
type DocType = (typeof TYPES)[number];

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS_COMMON = 'http://linux.duke.edu/metadata/common';
const NS_RPM = 'http://linux.duke.edu/metadata/rpm';

const HEAD: Record<DocType, (count: number) => string> = {
  primary: (n) => `${XML_DECL}<metadata xmlns="${NS_COMMON}" xmlns:rpm="${NS_RPM}" packages="${n}">\n`,
  filelists: (n) =>
    `${XML_DECL}<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="${n}">\n`,
  other: (n) => `${XML_DECL}<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="${n}">\n`,
};
const TAIL: Record<DocType, string> = {
  primary: '</metadata>\n',
  filelists: '</filelists>\n',
  other: '</otherdata>\n',
};

// mtime 0 in the gzip header keeps the output (and thus its name) a function of the content, and
// lets appendRepodata recognise the head and tail members of an earlier output byte for byte.
const gz = (bytes: Uint8Array | string): Buffer => gzipSync(bytes);
const gunzip = promisify(gunzipCallback);
const TAIL_GZ = Object.fromEntries(TYPES.map((t) => [t, gz(TAIL[t])])) as Record<DocType, Buffer>;

/** UTF-8 bytes of the parts, written into one buffer without building a giant string. */
function encodeParts(parts: string[]): Buffer {
  let length = 0;
  for (const p of parts) length += Buffer.byteLength(p);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const p of parts) at += out.write(p, at);
  return out;
}

interface Document {
  type: DocType;
  /** the gzip members: head, entry members, tail */
  members: Uint8Array[];
  /** the uncompressed document, in order (hashed for the open-checksum): head, entries…, tail */
  open: Uint8Array[];
}

function assemble(
  docs: Document[],
  opts: Pick<RepodataInput, 'revision' | 'timestamp'>,
  next: Pick<RepodataBase, 'count' | 'locations' | 'entryMemberCount'>,
): Repodata {
  const files: RepodataFile[] = [];
  const nextDocs: RepodataBase['docs'] = [];
  let data = '';
  for (const { type, members, open } of docs) {
    const bytes = Buffer.concat(members);
    const head = members[0]?.byteLength ?? 0;
    const tail = members[members.length - 1]?.byteLength ?? 0;
    const entryParts = open.slice(1, -1);
    nextDocs.push({
      type,
      entryMembers: bytes.subarray(head, bytes.byteLength - tail),
      entries: entryParts.length === 1 ? asBuffer(entryParts[0]!) : Buffer.concat(entryParts),
    });
    const checksum = createHash('sha256').update(bytes).digest('hex');
    const openHash = createHash('sha256');
    let openSize = 0;
    for (const part of open) {
      openHash.update(part);
      openSize += part.byteLength;
    }
    const path = `repodata/${checksum}-${type}.xml.gz`;
    files.push({
      path,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      sha256: checksum,
    });
    data +=
      `  <data type="${type}">\n` +
      `    <checksum type="sha256">${checksum}</checksum>\n` +
      `    <open-checksum type="sha256">${openHash.digest('hex')}</open-checksum>\n` +
      `    <location href="${path}"/>\n` +
      `    <timestamp>${opts.timestamp}</timestamp>\n` +
      `    <size>${bytes.byteLength}</size>\n` +
      `    <open-size>${openSize}</open-size>\n` +
      '  </data>\n';
  }
  const repomdXml =
    `${XML_DECL}<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="${NS_RPM}">\n` +
    `  <revision>${xmlText(opts.revision)}</revision>\n${data}</repomd>\n`;
  return { files, repomdXml, next: { ...next, docs: nextDocs } };
}

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function sameCounts(opts: Pick<RepodataInput, DocType>): number {
  const counts = new Set(TYPES.map((t) => opts[t].length));
  if (counts.size !== 1) throw new Error('primary, filelists and other must hold the same packages.');
  return opts.primary.length;
}

export function buildRepodata(opts: RepodataInput): Repodata {
  const count = sameCounts(opts);
  const docs = TYPES.map((type): Document => {
    const head = Buffer.from(HEAD[type](count));
    const body = encodeParts(opts[type]);
    const tail = Buffer.from(TAIL[type]);
    return { type, members: [gz(head), gz(body), TAIL_GZ[type]], open: [head, body, tail] };
  });
  // The download names, for the next append's check (cheaper from the entries than from the document).
  const locations = new Map<string, number>();
  for (const entry of opts.primary) addLocations(locations, entry);
  return assemble(docs, opts, { count, locations, entryMemberCount: 1 });
}

/** The current repodata, opened for appendRepodata. */
export interface RepodataBase {
  count: number;
  docs: Array<{ type: DocType; entryMembers: Buffer; entries: Buffer }>;
  /** gzip members holding entries in the largest document (each append adds one) */
  entryMemberCount: number;
  /** primary's location hrefs (as written, escaped) and how often each occurs; read when first needed */
  locations?: Map<string, number>;
}

// The header zlib writes: deflate, no flags, no mtime, then any compression-level byte and Unix as the
// OS. Counting it counts members (compressed data matching it is vanishingly unlikely, and a miscount
// only moves the next full build).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);

function countGzipMembers(gz: Uint8Array): number {
  const buf = Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength);
  let count = 0;
  for (let at = buf.indexOf(GZIP_HEADER); at !== -1; at = buf.indexOf(GZIP_HEADER, at + 1)) {
    if (buf[at + 9] === 0x03) count++;
  }
  return count;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (at < 0 || bytes.length < at + prefix.length) return false;
  return Buffer.compare(prefix, bytes.subarray(at, at + prefix.length)) === 0;
}

/**
 * Opens .xml.gz files that buildRepodata or appendRepodata wrote for `count` packages, or null when
 * they are in another layout (an older writer, another zlib) or do not inflate. The three inflate at
 * once on libuv's thread pool.
 */
export async function openRepodataBase(
  files: Record<DocType, Uint8Array>,
  count: number,
): Promise<RepodataBase | null> {
  const members: Array<{ type: DocType; entryMembers: Buffer }> = [];
  for (const type of TYPES) {
    const bytes = files[type];
    const head = gz(HEAD[type](count));
    const tail = TAIL_GZ[type];
    if (!startsWith(bytes, head) || !startsWith(bytes, tail, bytes.length - tail.length)) return null;
    const entryMembers = Buffer.from(
      bytes.buffer,
      bytes.byteOffset + head.length,
      bytes.length - head.length - tail.length,
    );
    if (entryMembers.length === 0) return null;
    members.push({ type, entryMembers });
  }
  let docs: RepodataBase['docs'];
  try {
    docs = await Promise.all(members.map(async (m) => ({ ...m, entries: await gunzip(m.entryMembers) })));
  } catch {
    return null;
  }
  return { count, docs, entryMemberCount: Math.max(...docs.map((d) => countGzipMembers(d.entryMembers))) };
}

/**
 * True when the base's primary lists exactly these location hrefs (as many, the same multiset): the
 * check that no listed package changed its served file (a re-signed rpm gets a new download name).
 */
export function repodataBaseLists(base: RepodataBase, locationHrefs: string[]): boolean {
  if (locationHrefs.length !== base.count) return false;
  if (!base.locations) {
    const primary = base.docs.find((d) => d.type === 'primary')?.entries.toString('utf8') ?? '';
    base.locations = new Map();
    addLocations(base.locations, primary);
  }
  let found = 0;
  for (const n of base.locations.values()) found += n;
  if (found !== base.count) return false;
  const left = new Map(base.locations);
  for (const href of locationHrefs) {
    const key = xmlAttr(href);
    const n = left.get(key);
    if (!n) return false;
    left.set(key, n - 1);
  }
  return true;
}

const LOCATION = '\n  <location href="';

function addLocations(into: Map<string, number>, primary: string): void {
  for (let at = primary.indexOf(LOCATION); at >= 0; at = primary.indexOf(LOCATION, at)) {
    at += LOCATION.length;
    const end = primary.indexOf('"', at);
    if (end < 0) return;
    const href = primary.slice(at, end);
    into.set(href, (into.get(href) ?? 0) + 1);
    at = end;
  }
}

/**
 * The repodata of the base's packages followed by these added ones: the base's compressed entries
 * are reused as they are, the added entries become one more gzip member. Entries keep their order
 * (added ones last); clients do not depend on the order.
 */
export function appendRepodata(base: RepodataBase, opts: RepodataInput): Repodata {
  const count = base.count + sameCounts(opts);
  const docs = base.docs.map(({ type, entryMembers, entries }): Document => {
    const head = Buffer.from(HEAD[type](count));
    const added = encodeParts(opts[type]);
    const tail = Buffer.from(TAIL[type]);
    const members = [gz(head), entryMembers];
    if (added.length > 0) members.push(gz(added));
    members.push(TAIL_GZ[type]);
    return { type, members, open: [head, entries, added, tail] };
  });
  let locations: Map<string, number> | undefined;
  if (base.locations) {
    locations = new Map(base.locations);
    for (const entry of opts.primary) addLocations(locations, entry);
  }
  const added = opts.primary.length > 0 ? 1 : 0;
  return assemble(docs, opts, { count, locations, entryMemberCount: base.entryMemberCount + added });
}
