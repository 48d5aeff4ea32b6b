// Releases a quarantined package (admins only): it joins the next publication like a fresh upload.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, NotFound } from '../errors/domain-errors';
import { requestPublication } from '../publication/request-publication';
import { type PackageView, toPackageView } from './package-view';

export async function releasePackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
): Promise<PackageView> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const { pkg, generation } = await ctx.db.$transaction(async (tx) => {
    const found = await tx.package.findFirst({ where: { id, repositoryId: repository.id } });
    if (!found) throw new NotFound('package');
    if (found.status !== 'QUARANTINED') {
      throw new Conflict(`${found.name} ${found.version} is not quarantined.`, 'not_quarantined');
    }
    const pkg = await tx.package.update({
      where: { id: found.id },
      data: { status: 'PROCESSING', quarantineReason: null },
      include: { blob: true, distribution: true },
    });
    // A package still waiting for ingestion is published when its ingestion bumps the generation.
    const dist = found.indexEntry
      ? await tx.distribution.update({
          where: { id: found.distributionId },
          data: { generation: { increment: 1 } },
        })
      : null;
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'package.release',
      target: `package ${found.name} ${found.version} ${found.architecture}`,
      targetId: found.id,
      details: { repository: repository.slug, reason: found.quarantineReason },
    });
    return { pkg, generation: dist ? { id: dist.id, generation: dist.generation } : null };
  });
  if (generation) await requestPublication(ctx, generation.id, generation.generation);
  return toPackageView(pkg);
}
