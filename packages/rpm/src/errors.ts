// Errors of @pallet/rpm: RpmFormatError `not_an_rpm` (wrong magic; callers answer 415) or `corrupt` (broken
// structure; the message is one human sentence, never a stack trace), and RpmSigningError for bad signer output.

export type RpmFormatErrorKind = 'not_an_rpm' | 'corrupt';

export class RpmFormatError extends Error {
  override readonly name = 'RpmFormatError';
  readonly code = 'invalid_package';

  constructor(
    readonly kind: RpmFormatErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export function corrupt(message: string): RpmFormatError {
  return new RpmFormatError('corrupt', message);
}

/** Signing could not produce a valid package signature (bad signer output, wrong key type). */
export class RpmSigningError extends Error {
  override readonly name = 'RpmSigningError';
  readonly code = 'signing_failed';
}
