// The one place that decides what a storage key may look like, so that no key can escape the
// filesystem root and every key means the same object on every driver.
import { InvalidStorageKeyError } from './errors';

export const MAX_STORAGE_KEY_LENGTH = 1024;
/** Longest segment: the common file-name limit (NAME_MAX), so a key valid on S3 is valid on disk too. */
export const MAX_STORAGE_KEY_SEGMENT_LENGTH = 255;

const SEGMENT = /^[A-Za-z0-9._~+-]+$/;

/** Throws InvalidStorageKeyError unless key is relative `/`-separated segments of `[A-Za-z0-9._~+-]`. */
export function assertStorageKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new InvalidStorageKeyError(key, 'not a string');
  if (key.length === 0) throw new InvalidStorageKeyError(key, 'empty');
  if (key.length > MAX_STORAGE_KEY_LENGTH) {
    throw new InvalidStorageKeyError(key, `longer than ${MAX_STORAGE_KEY_LENGTH} characters`);
  }
  if (key.startsWith('/')) throw new InvalidStorageKeyError(key, 'absolute (leading /)');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidStorageKeyError(key, 'empty segment');
    if (segment === '.' || segment === '..') throw new InvalidStorageKeyError(key, `"${segment}" segment`);
    if (segment.length > MAX_STORAGE_KEY_SEGMENT_LENGTH) {
      throw new InvalidStorageKeyError(
        key,
        `segment longer than ${MAX_STORAGE_KEY_SEGMENT_LENGTH} characters`,
      );
    }
    if (!SEGMENT.test(segment)) {
      throw new InvalidStorageKeyError(key, 'characters outside [A-Za-z0-9._~+-] in a segment');
    }
  }
}
