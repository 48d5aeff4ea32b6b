// @pallet/rpm: .rpm reading and signing, rpmvercmp, repodata writing. Pure: bytes and streams in, plain data out.
export { type BuildRpmInput, buildRpm, type RpmBuildDependency, type RpmPayloadFile } from './build-rpm';
export { RpmFormatError, type RpmFormatErrorKind, RpmSigningError } from './errors';
export { buildFilelistsEntry, buildOtherEntry, selectChangelogs } from './filelists-xml';
export type { HeaderLimits } from './header-blob';
export { type RpmNevra, rpmFileName, rpmLocationHref } from './location';
export { parseRpm } from './parse-rpm';
export { buildPrimaryEntry, type PackageFileInfo } from './primary-xml';
export {
  appendRepodata,
  buildRepodata,
  openRepodataBase,
  type Repodata,
  type RepodataBase,
  type RepodataFile,
  type RepodataInput,
  repodataBaseLists,
} from './repodata';
export { isPrimaryFile, type RepodataDependencies, repodataDependencies } from './repodata-deps';
export { measureRpmHead, type RpmHeadLayout, type RpmHeadMeasure } from './rpm-head';
export { compareEvr, type Evr, rpmvercmp } from './rpmvercmp';
export { type RpmKeyAlgorithm, type SignedRpmPrefix, signRpmHeader } from './sign-rpm-header';
export { sourceRpmName } from './source-rpm';
export type {
  DependencyFlags,
  RpmChangelog,
  RpmDependency,
  RpmFile,
  RpmPackage,
} from './types';
