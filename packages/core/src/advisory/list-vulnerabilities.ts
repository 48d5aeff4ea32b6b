// A repository's findings as users see them: by default only each package's newest version per
// distribution and architecture (what apt/dnf install; an older version superseded by an upload no longer
// counts), filterable by distribution, severity and package name; and the counts by severity.
import { compareDebVersions } from '@pallet/deb';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { compareRpmVersions } from './ecosystem';
import { SEVERITIES, type SeverityName } from './severity';

export interface VulnerabilityView {
  package: { id: string; name: string; version: string; architecture: string; distribution: string };
  advisory: { id: string; aliases: string[]; severity: SeverityName; summary: string };
  fixedVersion?: string;
}

export type VulnerabilitySummary = Record<SeverityName, number> & { packages: number };

const query = z.object({
  distribution: z.string().min(1).max(200).optional(),
  severity: z.enum(SEVERITIES).optional(),
  package: z.string().min(1).max(200).optional(),
  /** also list versions a newer upload of the same package superseded */
  all: z.enum(['true', 'false']).optional(),
});

interface Filters {
  distribution?: string;
  severity?: SeverityName;
  package?: string;
  all?: boolean;
}

/** The findings of a repository's current package versions (or of all versions), newest advisory first. */
export async function loadRepositoryFindings(
  ctx: CoreContext,
  repositoryId: string,
  filters: Filters = {},
): Promise<VulnerabilityView[]> {
  const findings = await ctx.db.finding.findMany({
    where: {
      package: {
        repositoryId,
        status: { notIn: ['DELETING', 'REMOVED'] },
        ...(filters.package ? { name: filters.package } : {}),
        ...(filters.distribution ? { distribution: { name: filters.distribution } } : {}),
      },
      ...(filters.severity ? { advisory: { severity: filters.severity.toUpperCase() as 'HIGH' } } : {}),
    },
    include: { advisory: true, package: { include: { distribution: true } } },
    orderBy: [{ advisoryId: 'desc' }, { packageId: 'asc' }],
  });
  let kept = findings;
  if (!filters.all && findings.length > 0) {
    const names = [...new Set(findings.map((f) => f.package.name))];
    const siblings = await ctx.db.package.findMany({
      where: { repositoryId, name: { in: names }, status: { notIn: ['DELETING', 'REMOVED', 'FAILED'] } },
      select: { distributionId: true, name: true, architecture: true, version: true, format: true },
    });
    const newest = new Map<string, string>();
    for (const s of siblings) {
      const key = `${s.distributionId}\0${s.name}\0${s.architecture}`;
      const order = s.format === 'DEB' ? compareDebVersions : compareRpmVersions;
      const best = newest.get(key);
      if (best === undefined || order(s.version, best) > 0) newest.set(key, s.version);
    }
    kept = findings.filter((f) => {
      const best = newest.get(`${f.package.distributionId}\0${f.package.name}\0${f.package.architecture}`);
      return best === undefined || best === f.package.version;
    });
  }
  return kept.map((f) => ({
    package: {
      id: f.package.id,
      name: f.package.name,
      version: f.package.version,
      architecture: f.package.architecture,
      distribution: f.package.distribution.name,
    },
    advisory: {
      id: f.advisory.id,
      aliases: f.advisory.aliases,
      severity: f.advisory.severity.toLowerCase() as SeverityName,
      summary: f.advisory.summary,
    },
    ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
  }));
}

export function summarizeFindings(items: VulnerabilityView[]): VulnerabilitySummary {
  const summary = { unknown: 0, low: 0, medium: 0, high: 0, critical: 0, packages: 0 };
  for (const item of items) summary[item.advisory.severity]++;
  summary.packages = new Set(items.map((i) => i.package.id)).size;
  return summary;
}

export async function listVulnerabilities(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  rawQuery: Record<string, string>,
): Promise<{ items: VulnerabilityView[]; summary: VulnerabilitySummary }> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const q = query.safeParse(rawQuery);
  if (!q.success) throw new InvalidRequest(q.error.issues[0]?.message ?? 'Invalid query.');
  const { all, ...rest } = q.data;
  const items = await loadRepositoryFindings(ctx, repository.id, { ...rest, all: all === 'true' });
  return { items, summary: summarizeFindings(items) };
}
