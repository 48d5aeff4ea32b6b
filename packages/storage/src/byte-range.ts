// HTTP byte-range rules shared by the drivers: what is unsatisfiable, and clamping the end.

import { RangeNotSatisfiableError } from './errors';
import type { ByteRange } from './storage';

/** Throws RangeNotSatisfiableError for a malformed range (negative, fractional or inverted). */
export function assertByteRangeShape(range: ByteRange, size = Number.NaN): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeNotSatisfiableError(range, size);
  }
}

/**
 * The range actually served for an object of `size` bytes: like HTTP (RFC 9110 §14.1.2), an end
 * past the last byte is clamped, and a start at or past the end of the object is unsatisfiable.
 */
export function resolveByteRange(range: ByteRange, size: number): ByteRange {
  assertByteRangeShape(range, size);
  if (range.start >= size) throw new RangeNotSatisfiableError(range, size);
  return { start: range.start, end: Math.min(range.end, size - 1) };
}
