// The API shape of a package.
import type { Blob, Distribution, Package } from '@pallet/db';

export interface PackageView {
  id: string;
  format: 'deb' | 'rpm';
  name: string;
  version: string;
  architecture: string;
  distribution: string;
  component?: string;
  sha256: string;
  size: number;
  /** `removed`: out of the indexes (deleted, yanked, moved, dropped by retention or a restore) */
  status: 'processing' | 'published' | 'failed' | 'deleting' | 'removed' | 'quarantined';
  error?: string;
  /** why an upload policy holds the package back (status quarantined) */
  quarantineReason?: string;
  filename: string | null;
  /** SPDX license expressions the package declares (empty when it declares none). */
  licenses: string[];
  createdAt: string;
  publishedAt: string | null;
  removedAt?: string;
  yankedAt?: string;
  /** the package this one was copied or moved from */
  copiedFrom?: string;
}

/** A Package row without what an answer never shows: the parsed metadata and the index texts. */
export type PackageSummary = Omit<Package, 'metadata' | 'indexEntry' | 'indexExtra'>;

export function toPackageView(p: PackageSummary & { blob: Blob; distribution: Distribution }): PackageView {
  return {
    id: p.id,
    format: p.format === 'DEB' ? 'deb' : 'rpm',
    name: p.name,
    version: p.version,
    architecture: p.architecture,
    distribution: p.distribution.name,
    ...(p.component ? { component: p.component } : {}),
    sha256: p.blob.sha256,
    size: Number(p.blob.size),
    status: p.status.toLowerCase() as PackageView['status'],
    ...(p.error ? { error: p.error } : {}),
    ...(p.quarantineReason ? { quarantineReason: p.quarantineReason } : {}),
    filename: p.filename,
    licenses: p.licenses,
    createdAt: p.createdAt.toISOString(),
    publishedAt: p.publishedAt?.toISOString() ?? null,
    ...(p.removedAt ? { removedAt: p.removedAt.toISOString() } : {}),
    ...(p.yankedAt ? { yankedAt: p.yankedAt.toISOString() } : {}),
    ...(p.copiedFromId ? { copiedFrom: p.copiedFromId } : {}),
  };
}
