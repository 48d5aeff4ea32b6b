// Marks a package for deletion; the next publication drops it from the indexes (the row stays REMOVED while
// a retained publication lists it, see package/remove-packages.ts).

import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import { NotFound } from '../errors/domain-errors';
import { requestPublication } from '../publication/request-publication';
import { emitPackageEvent } from '../webhook/package-events';

export async function deletePackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
): Promise<void> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'write');
  const generation = await ctx.db.$transaction(async (tx) => {
    const pkg = await tx.package.findFirst({
      where: { id, repositoryId: repository.id, status: { not: 'REMOVED' } },
      include: { distribution: true },
    });
    if (!pkg) throw new NotFound('package');
    assertNotFrozen(pkg.distribution, 'a deletion');
    await tx.package.update({ where: { id: pkg.id }, data: { status: 'DELETING' } });
    const dist = await tx.distribution.update({
      where: { id: pkg.distributionId },
      data: { generation: { increment: 1 } },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'package.delete',
      target: `package ${pkg.name} ${pkg.version} ${pkg.architecture}`,
      targetId: pkg.id,
      details: { repository: repository.slug },
    });
    await emitPackageEvent(tx, 'package.deleted', pkg.id);
    return { distributionId: dist.id, generation: dist.generation };
  });
  await requestPublication(ctx, generation.distributionId, generation.generation);
}
