// Reads and validates one rpm header structure (intro, index, data, immutable region) as rpm's
// `hdrblobVerifyInfo`/`hdrblobVerifyRegion` do. Written by hand: the field has no maintained JS RPM reader.
import { corrupt } from './errors';
import { HeaderType, REGION_HEADERIMAGE, REGION_SIGNATURES } from './tags';

export const HEADER_MAGIC = Uint8Array.of(0x8e, 0xad, 0xe8, 0x01, 0x00, 0x00, 0x00, 0x00);
export const INTRO_SIZE = 16;
export const ENTRY_SIZE = 16;

export interface HeaderLimits {
  /** Largest index + data size of one header, in bytes (default 32 MiB). */
  maxHeaderBytes?: number;
  /** Most index entries in one header (default 65536). */
  maxIndexEntries?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_INDEX_ENTRIES = 65536;

export interface HeaderEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
  /** Byte length of the value inside the data area (strings included up to their last NUL). */
  length: number;
}

export interface HeaderBlob {
  /** Human name used in error messages: "signature header" or "main header". */
  label: string;
  il: number;
  dl: number;
  /** The whole header as stored: intro + index + data. */
  bytes: Uint8Array;
  data: Uint8Array;
  regionTag: number;
  /** Entries after the region entry, in index order. */
  entries: HeaderEntry[];
  byTag: Map<number, HeaderEntry>;
}

export interface HeaderIntro {
  il: number;
  dl: number;
  /** 16 + 16·il + dl */
  length: number;
}

const FIXED_SIZE: Record<number, number> = {
  [HeaderType.NULL]: 0,
  [HeaderType.CHAR]: 1,
  [HeaderType.INT8]: 1,
  [HeaderType.INT16]: 2,
  [HeaderType.INT32]: 4,
  [HeaderType.INT64]: 8,
  [HeaderType.BIN]: 1,
};

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checks the 16-byte intro at `bytes[0..16)` and the declared sizes against the limits. */
export function readHeaderIntro(bytes: Uint8Array, label: string, limits: HeaderLimits = {}): HeaderIntro {
  if (bytes.length < INTRO_SIZE) throw corrupt(`The file ends inside the ${label} intro.`);
  for (let i = 0; i < HEADER_MAGIC.length; i++) {
    if (bytes[i] !== HEADER_MAGIC[i]) throw corrupt(`The ${label} does not start with the rpm header magic.`);
  }
  const dv = view(bytes);
  const il = dv.getUint32(8);
  const dl = dv.getUint32(12);
  const maxEntries = limits.maxIndexEntries ?? DEFAULT_MAX_INDEX_ENTRIES;
  const maxBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (il < 1) throw corrupt(`The ${label} has no index entries.`);
  if (il > maxEntries) {
    throw corrupt(`The ${label} declares ${il} index entries, more than the limit of ${maxEntries}.`);
  }
  const size = ENTRY_SIZE * il + dl;
  if (size > maxBytes) {
    throw corrupt(
      `The ${label} declares ${size} bytes of index and data, more than the limit of ${maxBytes}.`,
    );
  }
  return { il, dl, length: INTRO_SIZE + size };
}

function readEntry(dv: DataView, at: number): Omit<HeaderEntry, 'length'> {
  return {
    tag: dv.getUint32(at),
    type: dv.getUint32(at + 4),
    offset: dv.getInt32(at + 8),
    count: dv.getUint32(at + 12),
  };
}

/** Length of a value whose entry starts at `offset`; `limit` is the first byte it may not reach. */
function valueLength(data: Uint8Array, e: Omit<HeaderEntry, 'length'>, limit: number, label: string): number {
  const where = `${label} tag ${e.tag}`;
  if (
    e.type === HeaderType.STRING ||
    e.type === HeaderType.STRING_ARRAY ||
    e.type === HeaderType.I18NSTRING
  ) {
    if (e.type === HeaderType.STRING && e.count !== 1) {
      throw corrupt(`In the ${where} a STRING value has count ${e.count} instead of 1.`);
    }
    let at = e.offset;
    for (let i = 0; i < e.count; i++) {
      const nul = data.indexOf(0, at);
      if (nul < 0 || nul >= limit)
        throw corrupt(`In the ${where} a string is not NUL-terminated inside the data.`);
      at = nul + 1;
    }
    return at - e.offset;
  }
  const size = FIXED_SIZE[e.type];
  if (size === undefined) throw corrupt(`The ${where} has unknown data type ${e.type}.`);
  if (size > 1 && e.offset % size !== 0) {
    throw corrupt(`The ${where} value is not aligned to ${size} bytes.`);
  }
  const length = size * e.count;
  if (length > limit - e.offset) throw corrupt(`The ${where} value runs past the end of the data area.`);
  return length;
}

/**
 * Validates a complete header (`bytes` = intro + index + data, as returned by readHeaderIntro's length)
 * whose first entry must be the immutable region `regionTag` covering the whole header.
 */
export function parseHeaderBlob(
  bytes: Uint8Array,
  regionTag: number,
  label: string,
  limits?: HeaderLimits,
): HeaderBlob {
  const { il, dl, length } = readHeaderIntro(bytes, label, limits);
  if (bytes.length < length) throw corrupt(`The file ends inside the ${label}.`);
  const dv = view(bytes);
  const dataStart = INTRO_SIZE + ENTRY_SIZE * il;
  const data = bytes.subarray(dataStart, length);

  const region = readEntry(dv, INTRO_SIZE);
  if (region.tag !== regionTag) {
    throw corrupt(`The ${label} does not start with its region tag ${regionTag} (found tag ${region.tag}).`);
  }
  if (region.type !== HeaderType.BIN || region.count !== 16) {
    throw corrupt(
      `The ${label} region tag has type ${region.type} and count ${region.count} instead of BIN 16.`,
    );
  }
  if (dl < 16 || region.offset !== dl - 16) {
    throw corrupt(`The ${label} region trailer is not the last 16 bytes of the data area.`);
  }
  const trailer = readEntry(view(data), region.offset);
  const trailerTagOk =
    trailer.tag === regionTag || (regionTag === REGION_SIGNATURES && trailer.tag === REGION_HEADERIMAGE);
  if (!trailerTagOk || trailer.type !== HeaderType.BIN || trailer.count !== 16) {
    throw corrupt(`The ${label} region trailer is wrong (tag ${trailer.tag}, type ${trailer.type}).`);
  }
  if (trailer.offset !== -(ENTRY_SIZE * il)) {
    throw corrupt(`The ${label} region does not cover all ${il} index entries.`);
  }

  const entries: HeaderEntry[] = [];
  const byTag = new Map<number, HeaderEntry>();
  const limit = dl - 16;
  let end = 0;
  for (let i = 1; i < il; i++) {
    const e = readEntry(dv, INTRO_SIZE + ENTRY_SIZE * i);
    if (e.tag < 100) throw corrupt(`The ${label} has a reserved tag number ${e.tag} at index ${i}.`);
    if (e.count < 1) throw corrupt(`The ${label} tag ${e.tag} has count 0.`);
    if (e.offset < 0 || e.offset >= limit) {
      throw corrupt(`The ${label} tag ${e.tag} points outside the data area (offset ${e.offset}).`);
    }
    if (e.offset < end) throw corrupt(`The ${label} tag ${e.tag} overlaps the data of the previous entry.`);
    if (byTag.has(e.tag)) throw corrupt(`The ${label} contains tag ${e.tag} twice.`);
    const entry = { ...e, length: valueLength(data, e, limit, label) };
    end = e.offset + entry.length;
    entries.push(entry);
    byTag.set(e.tag, entry);
  }
  return { label, il, dl, bytes: bytes.subarray(0, length), data, regionTag, entries, byTag };
}
