// The one error type @pallet/deb throws for bad uploads: `not_a_deb` (not an ar archive at all,
// HTTP 415 upstream) or `corrupt` (an ar archive that is not a valid .deb), with a human sentence.
export type DebFormatErrorKind = 'not_a_deb' | 'corrupt';

export class DebFormatError extends Error {
  override readonly name = 'DebFormatError';
  readonly code = 'invalid_deb';
  readonly kind: DebFormatErrorKind;

  constructor(kind: DebFormatErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export function corrupt(message: string): DebFormatError {
  return new DebFormatError('corrupt', message);
}
