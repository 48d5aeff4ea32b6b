// Serialises a header (region entry, index sorted by tag, aligned data, region trailer) the way rpm's
// `headerExport` lays out a package header. Written by hand: the field has no maintained JS RPM writer.
import type { HeaderBlob } from './header-blob';
import { ENTRY_SIZE, HEADER_MAGIC, INTRO_SIZE } from './header-blob';
import { HeaderType } from './tags';

export interface HeaderValue {
  tag: number;
  type: number;
  count: number;
  /** The value's bytes exactly as stored in the data area. */
  data: Uint8Array;
}

const ALIGN: Record<number, number> = { [HeaderType.INT16]: 2, [HeaderType.INT32]: 4, [HeaderType.INT64]: 8 };

/** The values of an existing header (region entry excluded), sharing its memory. */
export function headerValues(blob: HeaderBlob): HeaderValue[] {
  return blob.entries.map((e) => ({
    tag: e.tag,
    type: e.type,
    count: e.count,
    data: blob.data.subarray(e.offset, e.offset + e.length),
  }));
}

export function buildHeader(regionTag: number, values: HeaderValue[]): Uint8Array {
  const sorted = [...values].sort((a, b) => a.tag - b.tag);
  const il = sorted.length + 1;
  const offsets: number[] = [];
  let dl = 0;
  for (const v of sorted) {
    const align = ALIGN[v.type] ?? 1;
    dl += (align - (dl % align)) % align;
    offsets.push(dl);
    dl += v.data.length;
  }
  const trailerOffset = dl;
  dl += 16;

  const out = new Uint8Array(INTRO_SIZE + ENTRY_SIZE * il + dl);
  const dv = new DataView(out.buffer);
  out.set(HEADER_MAGIC, 0);
  dv.setUint32(8, il);
  dv.setUint32(12, dl);
  const writeEntry = (at: number, tag: number, type: number, offset: number, count: number) => {
    dv.setUint32(at, tag);
    dv.setUint32(at + 4, type);
    dv.setInt32(at + 8, offset);
    dv.setUint32(at + 12, count);
  };
  const dataStart = INTRO_SIZE + ENTRY_SIZE * il;
  writeEntry(INTRO_SIZE, regionTag, HeaderType.BIN, trailerOffset, 16);
  sorted.forEach((v, i) => {
    const offset = offsets[i] ?? 0;
    writeEntry(INTRO_SIZE + ENTRY_SIZE * (i + 1), v.tag, v.type, offset, v.count);
    out.set(v.data, dataStart + offset);
  });
  writeEntry(dataStart + trailerOffset, regionTag, HeaderType.BIN, -(ENTRY_SIZE * il), 16);
  return out;
}
