// Typed reads of validated header values (strings, string arrays, integers, binary) with a clear
// error when a tag has an unexpected type. Written by hand: the field has no maintained JS RPM reader.
import { corrupt } from './errors';
import type { HeaderBlob, HeaderEntry } from './header-blob';
import { HeaderType } from './tags';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** UTF-8 when valid, else Latin-1 (what createrepo_c does for legacy headers). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

function typeError(blob: HeaderBlob, e: HeaderEntry, expected: string): Error {
  return corrupt(`The ${blob.label} tag ${e.tag} has data type ${e.type}, expected ${expected}.`);
}

function stringsOf(blob: HeaderBlob, e: HeaderEntry): string[] {
  const out: string[] = [];
  let at = e.offset;
  for (let i = 0; i < e.count; i++) {
    const nul = blob.data.indexOf(0, at);
    out.push(decodeText(blob.data.subarray(at, nul)));
    at = nul + 1;
  }
  return out;
}

/** STRING, or the first (C locale) value of an I18NSTRING. */
export function getString(blob: HeaderBlob, tag: number): string | undefined {
  const e = blob.byTag.get(tag);
  if (!e) return undefined;
  if (e.type !== HeaderType.STRING && e.type !== HeaderType.I18NSTRING) throw typeError(blob, e, 'a string');
  return stringsOf(blob, e)[0];
}

export function getStringArray(blob: HeaderBlob, tag: number): string[] {
  const e = blob.byTag.get(tag);
  if (!e) return [];
  if (e.type !== HeaderType.STRING_ARRAY) throw typeError(blob, e, 'a string array');
  return stringsOf(blob, e);
}

/** INT16/INT32/INT64 values as numbers (INT64 above 2^53 is rejected as corrupt). */
export function getIntArray(blob: HeaderBlob, tag: number): number[] {
  const e = blob.byTag.get(tag);
  if (!e) return [];
  const dv = new DataView(blob.data.buffer, blob.data.byteOffset + e.offset, e.length);
  const out = new Array<number>(e.count);
  for (let i = 0; i < e.count; i++) {
    if (e.type === HeaderType.INT32) out[i] = dv.getUint32(4 * i);
    else if (e.type === HeaderType.INT16) out[i] = dv.getUint16(2 * i);
    else if (e.type === HeaderType.INT64) {
      const big = dv.getBigUint64(8 * i);
      if (big > BigInt(Number.MAX_SAFE_INTEGER))
        throw corrupt(`The ${blob.label} tag ${tag} holds a too large number.`);
      out[i] = Number(big);
    } else throw typeError(blob, e, 'an integer');
  }
  return out;
}

export function getInt(blob: HeaderBlob, tag: number): number | undefined {
  return getIntArray(blob, tag)[0];
}
