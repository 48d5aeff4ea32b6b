// Typed domain errors with stable codes; apps map them to the HTTP contract in one place.
// Messages are one human sentence and never carry secrets or stack traces.

export type DomainErrorKind =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_format'
  | 'invalid_package'
  | 'unprocessable'
  | 'rate_limited'
  | 'locked'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidRequest extends DomainError {
  constructor(message: string, code = 'invalid_request', details?: Record<string, unknown>) {
    super('invalid_request', code, message, details);
  }
}
export class Unauthorized extends DomainError {
  constructor(message = 'Missing, invalid or expired credentials.', code = 'unauthorized') {
    super('unauthorized', code, message);
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'These credentials do not allow this action.', code = 'forbidden') {
    super('forbidden', code, message);
  }
}
export class NotFound extends DomainError {
  constructor(what = 'resource', code = 'not_found') {
    super('not_found', code, `No such ${what}.`);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict', details?: Record<string, unknown>) {
    super('conflict', code, message, details);
  }
}
export class TooLarge extends DomainError {
  constructor(message: string, code = 'too_large') {
    super('too_large', code, message);
  }
}
export class UnsupportedFormat extends DomainError {
  constructor(message: string, code = 'unsupported_format') {
    super('unsupported_format', code, message);
  }
}
export class InvalidPackage extends DomainError {
  constructor(message: string, code = 'invalid_package') {
    super('invalid_package', code, message);
  }
}
export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'rate_limited', 'Too many attempts; try again later.', { retryAfterSeconds });
  }
}
/** The resource refuses changes for now (a frozen distribution): HTTP 423. */
export class Locked extends DomainError {
  constructor(message: string, code = 'locked') {
    super('locked', code, message);
  }
}
/**
 * Every database connection stayed busy for longer than a request waits (a burst beyond the pool): the
 * request changed nothing and may be sent again shortly. HTTP 503 with Retry-After.
 */
export class Busy extends DomainError {
  readonly retryAfterSeconds = 1;
  constructor() {
    super('unavailable', 'busy', 'The service is busy; nothing was changed. Retry in a moment.');
  }
}
export class Unavailable extends DomainError {
  constructor(message: string) {
    super('unavailable', 'unavailable', message);
  }
}
/** Well-formed input the domain refuses (e.g. an imported key that fails the key policy): HTTP 422. */
export class Unprocessable extends DomainError {
  constructor(message: string, code = 'unprocessable') {
    super('unprocessable', code, message);
  }
}
/** Every signing key of a repository is past its expiry: nothing may be signed until one is extended. */
export class KeyExpired extends DomainError {
  constructor(message: string) {
    super('unavailable', 'key_expired', message);
  }
}
