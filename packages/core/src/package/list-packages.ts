// Lists a repository's packages with search, distribution filter and pagination.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { type PackageView, toPackageView } from './package-view';

export const listPackagesQuery = z.object({
  distribution: z.string().optional(),
  q: z.string().max(200).optional(),
  architecture: z.string().max(64).optional(),
  status: z.enum(['processing', 'published', 'failed', 'deleting', 'removed', 'quarantined']).optional(),
  // Bounded so that the row offset stays an exact integer for the database.
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(500).default(50),
});

export async function listPackages(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: unknown,
): Promise<{ items: PackageView[]; page: number; per_page: number; total: number }> {
  const parsed = listPackagesQuery.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid query.');
  const q = parsed.data;
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const where = {
    repositoryId: repository.id,
    ...(q.distribution ? { distribution: { name: q.distribution } } : {}),
    ...(q.q ? { name: { contains: q.q, mode: 'insensitive' as const } } : {}),
    ...(q.architecture ? { architecture: q.architecture } : {}),
    // Removed rows (kept for restores) are listed only when asked for.
    status: q.status ? (q.status.toUpperCase() as 'PROCESSING') : { not: 'REMOVED' as const },
  };
  const [total, rows] = await Promise.all([
    ctx.db.package.count({ where }),
    ctx.db.package.findMany({
      where,
      include: { blob: true, distribution: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (q.page - 1) * q.per_page,
      take: q.per_page,
    }),
  ]);
  return { items: rows.map(toPackageView), page: q.page, per_page: q.per_page, total };
}
