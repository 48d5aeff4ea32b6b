// What a retention policy would remove from a distribution now ("would remove"): the current policy, or
// one being considered (keepVersions/maxAgeDays given), so it can be checked before it is applied.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { findDistribution } from '../distribution/find-distribution';
import { InvalidRequest } from '../errors/domain-errors';
import { type PackageView, toPackageView } from '../package/package-view';
import { planDistributionRetention, retentionRule } from './apply-retention';

export const retentionPreviewQuery = z
  .object({
    keepVersions: z.coerce.number().int().min(1).max(10_000).optional(),
    maxAgeDays: z.coerce.number().int().min(1).max(36_500).optional(),
    format: z.enum(['deb', 'rpm']).optional(),
  })
  .strict();

export interface RetentionPreview {
  distribution: string;
  retention: { keepVersions: number; maxAgeDays: number | null } | null;
  wouldRemove: PackageView[];
}

export async function previewRetention(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  distributionName: string,
  raw: unknown,
): Promise<RetentionPreview> {
  const parsed = retentionPreviewQuery.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid query.');
  const q = parsed.data;
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const dist = await findDistribution(ctx.db, repository.id, distributionName, q.format);
  const rule = q.keepVersions
    ? { keepVersions: q.keepVersions, maxAgeDays: q.maxAgeDays ?? null }
    : retentionRule(dist);
  if (!rule) return { distribution: dist.name, retention: null, wouldRemove: [] };
  const drop = await planDistributionRetention(ctx.db, dist, rule, new Date());
  const rows = await ctx.db.package.findMany({
    where: { id: { in: drop.map((r) => r.id) } },
    include: { blob: true, distribution: true },
    orderBy: [{ name: 'asc' }, { architecture: 'asc' }, { createdAt: 'desc' }],
  });
  return { distribution: dist.name, retention: rule, wouldRemove: rows.map(toPackageView) };
}
