// Yanks a package version: it leaves the indexes at the next publication, but its file stays downloadable
// for the retention period so machines pinned to it keep working; after that garbage collection may take
// it (`yankedAt` marks it). A restore never brings a yanked version back.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import { NotFound } from '../errors/domain-errors';
import { requestPublication } from '../publication/request-publication';
import { type PackageView, toPackageView } from './package-view';

export async function yankPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
): Promise<PackageView> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'write');
  const { view, distributionId, generation } = await ctx.db.$transaction(async (tx) => {
    const pkg = await tx.package.findFirst({
      where: { id, repositoryId: repository.id, status: { in: ['PUBLISHED', 'PROCESSING', 'DELETING'] } },
      include: { distribution: true },
    });
    if (!pkg) throw new NotFound('package');
    assertNotFrozen(pkg.distribution, 'a yank');
    const updated = await tx.package.update({
      where: { id: pkg.id },
      data: { status: 'DELETING', yankedAt: pkg.yankedAt ?? new Date() },
      include: { blob: true, distribution: true },
    });
    const dist = await tx.distribution.update({
      where: { id: pkg.distributionId },
      data: { generation: { increment: 1 } },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'package.yank',
      target: `package ${pkg.name} ${pkg.version} ${pkg.architecture}`,
      targetId: pkg.id,
      details: { repository: repository.slug, distribution: pkg.distribution.name },
    });
    return { view: toPackageView(updated), distributionId: dist.id, generation: dist.generation };
  });
  await requestPublication(ctx, distributionId, generation);
  return view;
}
