// Locates the parts of an rpm's "head" (lead, signature header + padding, main header) from its first
// bytes, so callers can read exactly that much of a stream. Written by hand: the field has no maintained JS RPM reader.
import { corrupt, RpmFormatError } from './errors';
import { type HeaderLimits, readHeaderIntro } from './header-blob';

export const LEAD_SIZE = 96;
const LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb] as const;
const SIGTYPE_HEADERSIG = 5;

export interface RpmHeadLayout {
  /** Bytes of the lead plus the signature header plus its padding = offset of the main header. */
  mainHeaderOffset: number;
  /** Offset of the first payload byte = length of the head. */
  headLength: number;
  signatureIndexCount: number;
  signatureDataLength: number;
  /** 16 + 16·il + dl of the signature header, without padding. */
  signatureHeaderLength: number;
  mainIndexCount: number;
  mainDataLength: number;
}

export type RpmHeadMeasure = ({ complete: true } & RpmHeadLayout) | { complete: false; needBytes: number };

/** Throws `not_an_rpm` unless `bytes` starts like an rpm lead; returns false when too few bytes to tell. */
export function checkLeadMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, LEAD_MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== LEAD_MAGIC[i]) throw new RpmFormatError('not_an_rpm', 'The file is not an rpm package.');
  }
  if (bytes.length === 0) throw new RpmFormatError('not_an_rpm', 'The file is empty.');
  return n === LEAD_MAGIC.length;
}

/** Validates the 96-byte lead (magic, format version, header-style signature). */
export function checkLead(lead: Uint8Array): void {
  checkLeadMagic(lead);
  if (lead.length < LEAD_SIZE) throw corrupt('The file ends inside the 96-byte lead.');
  const major = lead[4] ?? 0;
  if (major < 3 || major > 4) throw corrupt(`The lead declares unsupported rpm format version ${major}.`);
  const sigType = ((lead[78] ?? 0) << 8) | (lead[79] ?? 0);
  if (sigType !== SIGTYPE_HEADERSIG) {
    throw corrupt(
      `The lead declares signature type ${sigType}; only header-style signatures (5) are supported.`,
    );
  }
}

export function paddedTo8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

/**
 * Measures the head from its first bytes. Call again with more bytes while `complete` is false;
 * at most `lead + 16 + signature header + padding + 16` bytes are ever needed.
 */
export function measureRpmHead(bytes: Uint8Array, limits?: HeaderLimits): RpmHeadMeasure {
  if (!checkLeadMagic(bytes) || bytes.length < LEAD_SIZE + 16) {
    return { complete: false, needBytes: LEAD_SIZE + 16 };
  }
  checkLead(bytes.subarray(0, LEAD_SIZE));
  const sig = readHeaderIntro(bytes.subarray(LEAD_SIZE), 'signature header', limits);
  const mainHeaderOffset = LEAD_SIZE + paddedTo8(sig.length);
  if (bytes.length < mainHeaderOffset + 16) return { complete: false, needBytes: mainHeaderOffset + 16 };
  const main = readHeaderIntro(bytes.subarray(mainHeaderOffset), 'main header', limits);
  return {
    complete: true,
    mainHeaderOffset,
    headLength: mainHeaderOffset + main.length,
    signatureIndexCount: sig.il,
    signatureDataLength: sig.dl,
    signatureHeaderLength: sig.length,
    mainIndexCount: main.il,
    mainDataLength: main.dl,
  };
}
