// Typed storage errors with stable codes; messages are for humans and never carry credentials.

export abstract class StorageError extends Error {
  abstract readonly code: string;
}

/** The key breaks the rules of storage-key.ts (path tricks, bad characters, too long). */
export class InvalidStorageKeyError extends StorageError {
  readonly code = 'INVALID_STORAGE_KEY';
  constructor(
    readonly key: unknown,
    reason: string,
  ) {
    super(`invalid storage key ${describeKey(key)}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}

/** No byte of the object lies in the asked range (HTTP 416); `size` feeds `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiableError extends StorageError {
  readonly code = 'RANGE_NOT_SATISFIABLE';
  constructor(
    readonly range: { start: number; end: number },
    readonly size: number,
  ) {
    super(`range ${range.start}-${range.end} is not satisfiable for an object of ${size} bytes`);
    this.name = 'RangeNotSatisfiableError';
  }
}

/** The storage URL given to createStorage cannot be used. */
export class InvalidStorageUrlError extends StorageError {
  readonly code = 'INVALID_STORAGE_URL';
  constructor(reason: string) {
    super(`invalid storage URL: ${reason}`);
    this.name = 'InvalidStorageUrlError';
  }
}

/** The backend refused or failed an operation, or check() found it unusable. */
export class StorageUnavailableError extends StorageError {
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

function describeKey(key: unknown): string {
  if (typeof key !== 'string') return `of type ${typeof key}`;
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return JSON.stringify(shown);
}
