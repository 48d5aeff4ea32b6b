// Deletes a repository with its distributions, packages and keys; blobs are left to garbage collection.

import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export async function deleteRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<void> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  await ctx.db.$transaction(async (tx) => {
    await tx.distribution.updateMany({
      where: { repositoryId: repository.id },
      data: { currentPublicationId: null },
    });
    await tx.repository.delete({ where: { id: repository.id } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'repository.delete',
      target: `repository ${repository.slug}`,
      targetId: repository.id,
    });
  });
}
