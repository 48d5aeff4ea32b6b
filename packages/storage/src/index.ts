// @pallet/storage: where package blobs and published repository files live, behind one interface.
export { createStorage } from './create-storage';
export {
  InvalidStorageKeyError,
  InvalidStorageUrlError,
  RangeNotSatisfiableError,
  StorageError,
  StorageUnavailableError,
} from './errors';
export { FS_TEMP_FILE_PREFIX, FsStorage } from './fs/fs-storage';
export { type S3ConnectionOptions, S3Storage, type S3StorageOptions } from './s3/s3-storage';
export type {
  ByteRange,
  IncompleteWrite,
  ListedObject,
  PutOptions,
  Storage,
  StorageBody,
  StorageHead,
  StoredObject,
} from './storage';
export { assertStorageKey, MAX_STORAGE_KEY_LENGTH } from './storage-key';
