// Reads one package of a repository, with the known vulnerabilities of its version.
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { type PackageView, toPackageView } from './package-view';

export interface PackageFinding {
  advisory: { id: string; aliases: string[]; severity: string; summary: string };
  fixedVersion?: string;
}

export async function getPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
): Promise<PackageView & { vulnerabilities: PackageFinding[] }> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const pkg = await ctx.db.package.findFirst({
    where: { id, repositoryId: repository.id },
    include: { blob: true, distribution: true, findings: { include: { advisory: true } } },
  });
  if (!pkg) throw new NotFound('package');
  const vulnerabilities = pkg.findings
    .map((f) => ({
      advisory: {
        id: f.advisory.id,
        aliases: f.advisory.aliases,
        severity: f.advisory.severity.toLowerCase(),
        summary: f.advisory.summary,
      },
      ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
    }))
    .sort((a, b) => a.advisory.id.localeCompare(b.advisory.id));
  return { ...toPackageView(pkg), vulnerabilities };
}
