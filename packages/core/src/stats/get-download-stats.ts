// Download counts of a repository between two times, grouped by package, version, distribution, token
// or day: `{items:[{key, downloads}]}`, most downloaded first (by day: in date order). Counts are those
// the web servers have flushed (every PALLET_STATS_FLUSH_MS), see docs/statistics.md.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeOrg, authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';

export const STATS_GROUPS = ['package', 'version', 'distribution', 'token', 'day'] as const;
const DAY = 86_400_000;
const MAX_RANGE_DAYS = 731;

const statsQuery = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  group_by: z.enum(STATS_GROUPS).default('package'),
  package: z.string().min(1).max(200).optional(),
});

export interface StatsItem {
  key: string;
  downloads: number;
  /** for group_by=version: the package and version apart */
  package?: string;
  version?: string;
  /** for group_by=token: the token's name (null for anonymous downloads of a public repository) */
  name?: string | null;
}

export interface DownloadStats {
  from: string;
  to: string;
  groupBy: (typeof STATS_GROUPS)[number];
  total: number;
  items: StatsItem[];
}

interface Row {
  k1: string;
  k2: string | null;
  n: bigint;
}

export async function getDownloadStats(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: Record<string, string | undefined>,
): Promise<DownloadStats> {
  const parsed = statsQuery.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequest(`Invalid stats query: ${parsed.error.issues[0]?.path.join('.')}.`);
  const q = parsed.data;
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  // Which tokens download (customers, fleets) is the token managers' business.
  if (q.group_by === 'token') await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const to = q.to ?? new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const from = q.from ?? new Date(to.getTime() - 30 * DAY);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
    throw new InvalidRequest('from must be before to.');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY)
    throw new InvalidRequest(`At most ${MAX_RANGE_DAYS} days per query.`);
  const pkg = q.package ?? null;
  const where = { id: repository.id, from, to, pkg };
  const rows = await grouped(ctx, where, q.group_by);
  let items: StatsItem[] = rows.map((r) => ({ key: r.k1, downloads: Number(r.n) }));
  if (q.group_by === 'version')
    items = rows.map((r) => ({
      key: `${r.k1} ${r.k2}`,
      package: r.k1,
      version: r.k2 ?? '',
      downloads: Number(r.n),
    }));
  if (q.group_by === 'token') {
    const ids = rows.map((r) => r.k1).filter(Boolean);
    const tokens = await ctx.db.apiToken.findMany({
      where: { id: { in: ids }, orgId: repository.orgId },
      select: { id: true, name: true },
    });
    const names = new Map(tokens.map((t) => [t.id, t.name]));
    items = rows.map((r) => ({
      key: r.k1 || 'anonymous',
      name: r.k1 ? (names.get(r.k1) ?? null) : null,
      downloads: Number(r.n),
    }));
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy: q.group_by,
    total: items.reduce((sum, i) => sum + i.downloads, 0),
    items,
  };
}

function grouped(
  ctx: CoreContext,
  w: { id: string; from: Date; to: Date; pkg: string | null },
  by: 'package' | 'version' | 'distribution' | 'token' | 'day',
): Promise<Row[]> {
  // One statement per grouping keeps every column name out of string building.
  switch (by) {
    case 'package':
      return ctx.db.$queryRaw<Row[]>`
        SELECT "packageName" AS k1, NULL AS k2, sum("count") AS n FROM "DownloadCount"
         WHERE "repositoryId" = ${w.id} AND "hour" >= ${w.from} AND "hour" < ${w.to}
           AND (${w.pkg}::text IS NULL OR "packageName" = ${w.pkg})
         GROUP BY 1 ORDER BY n DESC, k1 LIMIT 1000`;
    case 'version':
      return ctx.db.$queryRaw<Row[]>`
        SELECT "packageName" AS k1, "version" AS k2, sum("count") AS n FROM "DownloadCount"
         WHERE "repositoryId" = ${w.id} AND "hour" >= ${w.from} AND "hour" < ${w.to}
           AND (${w.pkg}::text IS NULL OR "packageName" = ${w.pkg})
         GROUP BY 1, 2 ORDER BY n DESC, k1, k2 LIMIT 1000`;
    case 'distribution':
      return ctx.db.$queryRaw<Row[]>`
        SELECT "distribution" AS k1, NULL AS k2, sum("count") AS n FROM "DownloadCount"
         WHERE "repositoryId" = ${w.id} AND "hour" >= ${w.from} AND "hour" < ${w.to}
           AND (${w.pkg}::text IS NULL OR "packageName" = ${w.pkg})
         GROUP BY 1 ORDER BY n DESC, k1 LIMIT 1000`;
    case 'token':
      return ctx.db.$queryRaw<Row[]>`
        SELECT "tokenId" AS k1, NULL AS k2, sum("count") AS n FROM "DownloadCount"
         WHERE "repositoryId" = ${w.id} AND "hour" >= ${w.from} AND "hour" < ${w.to}
           AND (${w.pkg}::text IS NULL OR "packageName" = ${w.pkg})
         GROUP BY 1 ORDER BY n DESC, k1 LIMIT 1000`;
    case 'day':
      return ctx.db.$queryRaw<Row[]>`
        SELECT to_char(date_trunc('day', "hour"), 'YYYY-MM-DD') AS k1, NULL AS k2, sum("count") AS n
          FROM "DownloadCount"
         WHERE "repositoryId" = ${w.id} AND "hour" >= ${w.from} AND "hour" < ${w.to}
           AND (${w.pkg}::text IS NULL OR "packageName" = ${w.pkg})
         GROUP BY 1 ORDER BY k1 LIMIT 1000`;
  }
}
