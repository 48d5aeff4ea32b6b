// Test-only: assembles .rpm bytes from hand-picked header values, for hostile-input tests.
import { buildHeader, type HeaderValue } from '../header-write';
import { HeaderType, REGION_IMMUTABLE, REGION_SIGNATURES, SigTag, Tag } from '../tags';

const enc = new TextEncoder();

export function str(tag: number, value: string, type: number = HeaderType.STRING): HeaderValue {
  return { tag, type, count: 1, data: enc.encode(`${value}\0`) };
}

export function strArray(tag: number, values: string[]): HeaderValue {
  return {
    tag,
    type: HeaderType.STRING_ARRAY,
    count: values.length,
    data: enc.encode(values.map((v) => `${v}\0`).join('')),
  };
}

export function int32(tag: number, values: number[]): HeaderValue {
  const data = new Uint8Array(4 * values.length);
  const dv = new DataView(data.buffer);
  for (const [i, v] of values.entries()) dv.setUint32(4 * i, v);
  return { tag, type: HeaderType.INT32, count: values.length, data };
}

export function int16(tag: number, values: number[]): HeaderValue {
  const data = new Uint8Array(2 * values.length);
  const dv = new DataView(data.buffer);
  for (const [i, v] of values.entries()) dv.setUint16(2 * i, v);
  return { tag, type: HeaderType.INT16, count: values.length, data };
}

export const BASIC_MAIN: HeaderValue[] = [
  str(Tag.NAME, 'synth'),
  str(Tag.VERSION, '1.0'),
  str(Tag.RELEASE, '1'),
  str(Tag.SUMMARY, 'Synthetic', HeaderType.I18NSTRING),
  str(Tag.ARCH, 'noarch'),
  str(Tag.SOURCERPM, 'synth-1.0-1.src.rpm'),
];

export function lead(): Uint8Array {
  const out = new Uint8Array(96);
  out.set([0xed, 0xab, 0xee, 0xdb, 3, 0]);
  out.set(enc.encode('synth-1.0-1'), 10);
  out[77] = 1; // osnum
  out[79] = 5; // header-style signature
  return out;
}

/** lead + signature header (SIZE, optional extras) + padding + main header + payload. */
export function synthRpm(
  main: HeaderValue[],
  payload: Uint8Array = enc.encode('payload'),
  sigExtra: HeaderValue[] = [],
): Uint8Array {
  const mainHeader = buildHeader(REGION_IMMUTABLE, main);
  const sig = buildHeader(REGION_SIGNATURES, [
    int32(SigTag.SIZE, [mainHeader.length + payload.length]),
    ...sigExtra,
  ]);
  const padded = sig.length + ((8 - (sig.length % 8)) % 8);
  const out = new Uint8Array(96 + padded + mainHeader.length + payload.length);
  out.set(lead());
  out.set(sig, 96);
  out.set(mainHeader, 96 + padded);
  out.set(payload, 96 + padded + mainHeader.length);
  return out;
}

/** Offset of the main header inside bytes built by synthRpm or rpmbuild. */
export function mainHeaderOffset(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sigLen = 16 + 16 * dv.getUint32(96 + 8) + dv.getUint32(96 + 12);
  return 96 + sigLen + ((8 - (sigLen % 8)) % 8);
}
