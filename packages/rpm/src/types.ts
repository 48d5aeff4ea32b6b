// Plain data returned by parseRpm and consumed by the repodata writers. Written by hand: the field has no
// maintained JS RPM reader.

export type DependencyFlags = 'EQ' | 'LT' | 'GT' | 'LE' | 'GE';

export interface RpmDependency {
  name: string;
  /** Comparison from the sense bits (`& 0xF`); undefined when the dependency has no version. */
  flags: DependencyFlags | undefined;
  epoch?: string;
  version?: string;
  release?: string;
  /** Requires only: needed before install (Requires(pre), (post), pretrans, posttrans, prereq). */
  pre?: boolean;
  /** The raw RPMSENSE_* bits as stored in the header. */
  senseFlags: number;
}

export interface RpmFile {
  path: string;
  type: 'file' | 'dir' | 'ghost';
}

export interface RpmChangelog {
  author: string;
  /** Unix seconds. */
  date: number;
  text: string;
}

export interface RpmPackage {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch: string;
  isSource: boolean;
  summary: string;
  description: string;
  license: string;
  url: string;
  group: string;
  vendor: string;
  packager: string;
  buildTime: number;
  buildHost: string;
  sourceRpm: string;
  installedSize: number;
  archiveSize: number;
  /** Byte range of the main header in the file (repodata `rpm:header-range`). */
  headerStart: number;
  headerEnd: number;
  /** Whole file size in bytes. */
  fileSize: number;
  provides: RpmDependency[];
  requires: RpmDependency[];
  conflicts: RpmDependency[];
  obsoletes: RpmDependency[];
  recommends: RpmDependency[];
  suggests: RpmDependency[];
  supplements: RpmDependency[];
  enhances: RpmDependency[];
  files: RpmFile[];
  /** Header order: newest first. */
  changelogs: RpmChangelog[];
  /** Raw layout needed for re-signing: lead + signature header + padding = headerStart. */
  signatureHeader: { indexCount: number; dataLength: number; prefixLength: number };
  /** Signature tags present (267 DSA/EdDSA, 268 RSA, 1002 PGP, 1005 GPG). */
  signatureTags: number[];
  payloadCompressor?: string;
}
