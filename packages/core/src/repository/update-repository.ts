// Changes a repository's visibility, description or the validity of its newly generated signing keys.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { type RepositoryView, toRepositoryView } from './repository-view';

export const updateRepositoryInput = z
  .object({
    visibility: z.enum(['public', 'private']).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    /** days a newly generated (or rotated-in) key stays valid; existing keys keep theirs (PATCH the key) */
    keyValidityDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export async function updateRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: unknown,
): Promise<RepositoryView> {
  const parsed = updateRepositoryInput.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid repository update.');
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const input = parsed.data;
  const updated = await ctx.db.$transaction(async (tx) => {
    const r = await tx.repository.update({
      where: { id: repository.id },
      data: {
        ...(input.visibility ? { visibility: input.visibility === 'private' ? 'PRIVATE' : 'PUBLIC' } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.keyValidityDays !== undefined ? { keyValidityDays: input.keyValidityDays } : {}),
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'repository.update',
      target: `repository ${r.slug}`,
      targetId: r.id,
      details: input,
    });
    return r;
  });
  return toRepositoryView(updated);
}
