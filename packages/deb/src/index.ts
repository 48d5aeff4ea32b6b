// @pallet/deb: reads .deb packages and Debian versions, writes Packages and Release indexes.
// Pure: takes bytes and plain data, returns plain data; imports nothing of Pallet's.
export { type BuildDebInput, buildDeb, type DebFile } from './build-deb';
export {
  compressIndex,
  DEFAULT_GZIP_LEVEL,
  DEFAULT_XZ_PRESET,
  gzipIndex,
  type XzPreset,
} from './compress-index';
export { type DebCompression, hasCompressionMagic } from './compression';
export { type ControlMetadata, isValidArchitecture, readControlMetadata } from './control-fields';
export { copyrightPath, parseCopyrightLicenses } from './copyright';
export {
  assertWritableField,
  Deb822SyntaxError,
  type DebField,
  formatDeb822Stanza,
  getField,
  parseDeb822,
  parseDeb822Stanza,
} from './deb822';
export { DebFormatError, type DebFormatErrorKind } from './errors';
export {
  type ArchiveFileInfo,
  buildPackagesIndex,
  buildPackagesStanza,
  orderPackagesFields,
} from './packages-index';
export { type DebPackage, type DebParseLimits, parseDeb } from './parse-deb';
export { debFileName, type PoolPackage, poolPath, poolPrefix, sourcePackageName } from './pool-path';
export {
  buildReleaseFile,
  formatReleaseDate,
  type ReleaseFileOptions,
  type ReleaseIndexFile,
} from './release-file';
export {
  compareDebVersions,
  type DebVersion,
  explainInvalidDebVersion,
  isValidDebVersion,
  splitDebVersion,
  versionWithoutEpoch,
} from './version';
