// A strict, push-driven tar reader for the two tars inside a .deb. Written by hand (instead of
// tar-stream) because the parser must agree with GNU tar, which dpkg-deb runs to extract
// control.tar, on which names an archive holds, must stop where GNU tar stops (the first zero
// block), and must check data.tar block by block as the upload streams, holding one header.
// Formats understood: v7, ustar (name prefix), GNU (././@LongLink 'L'/'K') and pax ('x'/'g').
import { corrupt, type DebFormatError } from './errors';

const BLOCK = 512;
/** Longest GNU long-name or pax extended header we accept; real ones are a few hundred bytes. */
const MAX_META_BYTES = 1024 * 1024;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export type TarEntryKind = 'file' | 'hardlink' | 'symlink' | 'device' | 'directory' | 'fifo' | 'other';

export interface TarEntry {
  /** The member name as stored (pax `path` or GNU long name when present), not normalised. */
  path: string;
  kind: TarEntryKind;
  size: number;
}

/** Receives an entry's data piece by piece; return undefined to skip the data. */
export type TarDataSink = ((bytes: Uint8Array) => void) | undefined;

interface PendingMeta {
  type: 'L' | 'K' | 'x' | 'g';
  parts: Uint8Array[];
  size: number;
}

function kindOf(typeflag: number): TarEntryKind {
  switch (String.fromCharCode(typeflag)) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
    case '4':
      return 'device';
    case '5':
      return 'directory';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

function cString(block: Uint8Array, offset: number, length: number, decoder = latin1): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end >= 0 ? field.subarray(0, end) : field);
}

/** A numeric header field: octal digits (space/NUL padded) or GNU base-256; undefined if neither. */
function readNumber(block: Uint8Array, offset: number, length: number): number | undefined {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    if (first & 0x40) return undefined; // negative base-256
    let value = first & 0x3f;
    for (let index = 1; index < length; index++) value = value * 256 + (block[offset + index] ?? 0);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = latin1
    .decode(block.subarray(offset, offset + length))
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  const value = Number.parseInt(text, 8);
  return Number.isSafeInteger(value) ? value : undefined;
}

// GNU tar accepts the checksum computed over unsigned or signed bytes; so do we.
function checksumMatches(block: Uint8Array): boolean {
  const stored = readNumber(block, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < BLOCK; index++) {
    const byte = index >= 148 && index < 156 ? 32 : (block[index] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let index = 0; index < BLOCK; index++) if (block[index] !== 0) return false;
  return true;
}

/** pax extended header records: "<length> <key>=<value>\n". */
function parsePaxRecords(bytes: Uint8Array, label: string): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] === 0) break; // some writers pad the header with NULs
    const space = bytes.indexOf(0x20, offset);
    const lengthText = space > offset ? latin1.decode(bytes.subarray(offset, space)) : '';
    const length = /^\d{1,7}$/.test(lengthText) ? Number(lengthText) : 0;
    if (
      length <= space - offset + 1 ||
      offset + length > bytes.length ||
      bytes[offset + length - 1] !== 0x0a
    ) {
      throw corrupt(`${label} has a malformed pax extended header.`);
    }
    const record = utf8.decode(bytes.subarray(space + 1, offset + length - 1));
    const equals = record.indexOf('=');
    if (equals <= 0) throw corrupt(`${label} has a malformed pax extended header.`);
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

export class TarWalker {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private dataLeft = 0;
  private padLeft = 0;
  private sink: TarDataSink;
  private meta: PendingMeta | undefined;
  private longName: string | undefined;
  private pax = new Map<string, string>();
  private finished = false;
  /** Offset of the current position in the tar, for messages. */
  private offset = 0;

  constructor(
    private readonly label: string,
    private readonly onEntry: (entry: TarEntry) => TarDataSink,
  ) {}

  /** True once the end-of-archive block was read; later bytes are ignored, as GNU tar does. */
  get ended(): boolean {
    return this.finished;
  }

  /** Feeds the next bytes of the (decompressed) tar; throws DebFormatError on the first problem. */
  push(bytes: Uint8Array): void {
    let index = 0;
    while (index < bytes.length && !this.finished) {
      if (this.dataLeft > 0) {
        const take = Math.min(this.dataLeft, bytes.length - index);
        this.takeData(bytes.subarray(index, index + take));
        index += take;
      } else if (this.padLeft > 0) {
        const take = Math.min(this.padLeft, bytes.length - index);
        this.padLeft -= take;
        this.offset += take;
        index += take;
      } else {
        const take = Math.min(BLOCK - this.headerFill, bytes.length - index);
        this.header.set(bytes.subarray(index, index + take), this.headerFill);
        this.headerFill += take;
        index += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.readHeader();
          this.offset += BLOCK;
        }
      }
    }
  }

  /** Call at the end of the input: the archive must have reached its end-of-archive block. */
  end(): void {
    if (this.finished) return;
    if (this.dataLeft > 0 || this.padLeft > 0 || this.headerFill > 0) {
      throw corrupt(`${this.label} is truncated inside a tar member.`);
    }
    throw corrupt(`${this.label} ends without a tar end-of-archive block.`);
  }

  private fail(reason: string): DebFormatError {
    return corrupt(`${this.label} is not a valid tar archive: ${reason} at byte ${this.offset}.`);
  }

  private takeData(bytes: Uint8Array): void {
    this.dataLeft -= bytes.length;
    this.offset += bytes.length;
    if (this.meta) {
      this.meta.parts.push(bytes.slice());
      if (this.dataLeft === 0) this.finishMeta();
    } else {
      this.sink?.(bytes);
    }
  }

  private startData(size: number): void {
    this.dataLeft = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0 && this.meta) this.finishMeta();
  }

  private readHeader(): void {
    const block = this.header;
    if (isZeroBlock(block)) {
      if (this.meta || this.longName !== undefined || this.pax.size > 0) {
        throw this.fail('an extended header is not followed by a member');
      }
      this.finished = true;
      return;
    }
    if (!checksumMatches(block)) throw this.fail('a header checksum does not match');
    const size = readNumber(block, 124, 12);
    if (size === undefined) throw this.fail('a header has an invalid size');
    const typeflag = block[156] ?? 0;
    const type = String.fromCharCode(typeflag);
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      if (size > MAX_META_BYTES) throw this.fail('an extended header is too large');
      if (this.meta) throw this.fail('an extended header follows another unfinished one');
      this.meta = { type, parts: [], size };
      this.startData(size);
      return;
    }
    const entry = this.entryFrom(block, typeflag, size);
    this.longName = undefined;
    this.pax = new Map();
    this.sink = this.onEntry(entry);
    this.startData(entry.kind === 'file' || entry.kind === 'other' ? entry.size : 0);
  }

  private entryFrom(block: Uint8Array, typeflag: number, headerSize: number): TarEntry {
    const kind = kindOf(typeflag);
    const magic = latin1.decode(block.subarray(257, 263));
    let path = cString(block, 0, 100);
    if (magic === 'ustar\0') {
      const prefix = cString(block, 345, 155);
      if (prefix !== '') path = `${prefix}/${path}`;
    }
    if (this.longName !== undefined) path = this.longName;
    const paxPath = this.pax.get('path');
    if (paxPath !== undefined) path = paxPath;
    let size = headerSize;
    const paxSize = this.pax.get('size');
    if (paxSize !== undefined) {
      if (!/^\d{1,16}$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize))) {
        throw this.fail('a pax size is invalid');
      }
      size = Number(paxSize);
    }
    // Links, devices, directories and fifos carry no data; a size there would make readers
    // disagree on where the next header is, so it is refused.
    if (kind !== 'file' && kind !== 'other' && size !== 0) {
      throw this.fail('a link, device or directory member claims data');
    }
    if (path === '') throw this.fail('a member has no name');
    return { path, kind, size };
  }

  private finishMeta(): void {
    const meta = this.meta as PendingMeta;
    this.meta = undefined;
    const bytes = Buffer.concat(meta.parts, meta.size);
    if (meta.type === 'L') {
      this.longName = cString(bytes, 0, bytes.length);
    } else if (meta.type === 'x') {
      for (const [key, value] of parsePaxRecords(bytes, this.label)) this.pax.set(key, value);
    } else if (meta.type === 'g') {
      parsePaxRecords(bytes, this.label); // checked, but global defaults change no name we read
    }
  }
}

/**
 * The path GNU tar would create for a member name, relative to the extraction directory: leading
 * `/` and `.` components dropped; undefined when the name climbs out with `..` (GNU tar then
 * rewrites or skips it, so such a name never identifies a file reliably).
 */
export function extractionPath(path: string): string | undefined {
  const components = path.split('/').filter((component) => component !== '' && component !== '.');
  if (components.includes('..')) return undefined;
  return components.join('/');
}
