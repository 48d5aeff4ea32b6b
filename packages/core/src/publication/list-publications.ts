// Lists a repository's publications, newest first.
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export interface PublicationView {
  id: string;
  distribution: string;
  status: 'building' | 'published' | 'failed' | 'superseded';
  packageCount: number;
  publishedAt: string | null;
  releaseSha256?: string;
  /** the publication its distribution serves now (the one an SBOM can be made for) */
  current: boolean;
}

export async function listPublications(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  opts: { distribution?: string; limit?: number },
): Promise<PublicationView[]> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const rows = await ctx.db.publication.findMany({
    where: {
      distribution: {
        repositoryId: repository.id,
        ...(opts.distribution ? { name: opts.distribution } : {}),
      },
    },
    include: { distribution: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: opts.limit ?? 100,
  });
  return rows.map((p) => ({
    id: p.id,
    distribution: p.distribution.name,
    status: p.status.toLowerCase() as PublicationView['status'],
    packageCount: p.packageCount,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    ...(p.releaseSha256 ? { releaseSha256: p.releaseSha256 } : {}),
    current: p.distribution.currentPublicationId === p.id,
  }));
}
