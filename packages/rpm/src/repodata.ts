// Assembles primary/filelists/other documents from per-package fragments, gzips them and writes
// repomd.xml (formats.md 2.2). Written by hand: the field has no maintained JS repodata writer.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { xmlText } from './xml-text';

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
}

export interface Repodata {
  files: RepodataFile[];
  repomdXml: string;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS_COMMON = 'http://linux.duke.edu/metadata/common';
const NS_RPM = 'http://linux.duke.edu/metadata/rpm';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** UTF-8 bytes of head + parts + tail, written into one buffer without building a giant string. */
function encodeDocument(head: string, parts: string[], tail: string): Buffer {
  let length = Buffer.byteLength(head) + Buffer.byteLength(tail);
  for (const p of parts) length += Buffer.byteLength(p);
  const out = Buffer.allocUnsafe(length);
  let at = out.write(head, 0);
  for (const p of parts) at += out.write(p, at);
  out.write(tail, at);
  return out;
}

function documents(opts: RepodataInput): Array<{ type: string; open: Buffer }> {
  const primaryOpen = `<metadata xmlns="${NS_COMMON}" xmlns:rpm="${NS_RPM}" packages="${opts.primary.length}">\n`;
  const filelistsOpen = `<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="${opts.filelists.length}">\n`;
  const otherOpen = `<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="${opts.other.length}">\n`;
  return [
    { type: 'primary', open: encodeDocument(XML_DECL + primaryOpen, opts.primary, '</metadata>\n') },
    { type: 'filelists', open: encodeDocument(XML_DECL + filelistsOpen, opts.filelists, '</filelists>\n') },
    { type: 'other', open: encodeDocument(XML_DECL + otherOpen, opts.other, '</otherdata>\n') },
  ];
}

export function buildRepodata(opts: RepodataInput): Repodata {
  const counts = new Set([opts.primary.length, opts.filelists.length, opts.other.length]);
  if (counts.size !== 1) throw new Error('primary, filelists and other must hold the same packages.');
  const files: RepodataFile[] = [];
  let data = '';
  for (const { type, open } of documents(opts)) {
    // mtime 0 in the gzip header keeps the output (and thus its name) a function of the content.
    const gz = gzipSync(open);
    const checksum = sha256(gz);
    const path = `repodata/${checksum}-${type}.xml.gz`;
    files.push({ path, bytes: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength) });
    data +=
      `  <data type="${type}">\n` +
      `    <checksum type="sha256">${checksum}</checksum>\n` +
      `    <open-checksum type="sha256">${sha256(open)}</open-checksum>\n` +
      `    <location href="${path}"/>\n` +
      `    <timestamp>${opts.timestamp}</timestamp>\n` +
      `    <size>${gz.byteLength}</size>\n` +
      `    <open-size>${open.byteLength}</open-size>\n` +
      '  </data>\n';
  }
  const repomdXml =
    `${XML_DECL}<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="${NS_RPM}">\n` +
    `  <revision>${xmlText(opts.revision)}</revision>\n${data}</repomd>\n`;
  return { files, repomdXml };
}
