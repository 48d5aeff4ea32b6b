// The API shape of a repository.
import type { Repository } from '@pallet/db';
import type { VulnerabilitySummary } from '../advisory/list-vulnerabilities';

export interface RepositoryView {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
  description: string | null;
  /** days newly generated signing keys stay valid (default 730) */
  keyValidityDays: number;
  createdAt: string;
  updatedAt: string;
  packageCount?: number;
  /** Bytes of the uploaded package files (lists only). */
  totalSize?: number;
  /** When a distribution of the repository was last published (lists only). */
  lastPublishedAt?: string | null;
  distributions?: string[];
  /** known vulnerabilities of the current package versions, counted by severity (single repository answer) */
  vulnerabilities?: VulnerabilitySummary;
}

export function toRepositoryView(r: Repository, extra: Partial<RepositoryView> = {}): RepositoryView {
  return {
    slug: r.slug,
    name: r.name,
    visibility: r.visibility === 'PRIVATE' ? 'private' : 'public',
    description: r.description,
    keyValidityDays: r.keyValidityDays,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    ...extra,
  };
}
