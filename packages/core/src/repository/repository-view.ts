// The API shape of a repository.
import type { Repository } from '@pallet/db';

export interface RepositoryView {
  slug: string;
  name: string;
  visibility: 'public' | 'private';
  description: string | null;
  createdAt: string;
  updatedAt: string;
  packageCount?: number;
  distributions?: string[];
}

export function toRepositoryView(r: Repository, extra: Partial<RepositoryView> = {}): RepositoryView {
  return {
    slug: r.slug,
    name: r.name,
    visibility: r.visibility === 'PRIVATE' ? 'private' : 'public',
    description: r.description,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    ...extra,
  };
}
