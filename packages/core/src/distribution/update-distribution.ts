// Changes a distribution's life-cycle settings: freeze, retention, and how long its signed indexes stay
// valid (validDays is stored here; the Valid-Until field is written by the publication).
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { requestPublication } from '../publication/request-publication';
import { type DistributionView, toDistributionView } from './distribution-view';
import { findDistribution } from './find-distribution';
import { countLivePackages } from './list-distributions';

export const updateDistributionInput = z
  .object({
    frozen: z.boolean().optional(),
    retention: z
      .object({
        keepVersions: z.number().int().min(1).max(10_000),
        maxAgeDays: z.number().int().min(1).max(36_500).nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    validDays: z.number().int().min(1).max(3650).nullable().optional(),
  })
  .strict();

export async function updateDistribution(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  distributionName: string,
  raw: unknown,
  opts: { format?: 'deb' | 'rpm' } = {},
): Promise<DistributionView> {
  const parsed = updateDistributionInput.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid distribution update.');
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const input = parsed.data;
  let validityChanged = false;
  const updated = await ctx.db.$transaction(async (tx) => {
    const dist = await findDistribution(tx, repository.id, distributionName, opts.format);
    const d = await tx.distribution.update({
      where: { id: dist.id },
      data: {
        ...(input.frozen !== undefined
          ? { frozen: input.frozen, frozenAt: input.frozen ? (dist.frozenAt ?? new Date()) : null }
          : {}),
        ...(input.retention !== undefined
          ? {
              retentionKeepVersions: input.retention?.keepVersions ?? null,
              retentionMaxAgeDays: input.retention?.maxAgeDays ?? null,
            }
          : {}),
        ...(input.validDays !== undefined ? { validDays: input.validDays } : {}),
      },
    });
    const action =
      input.frozen === true && !dist.frozen
        ? 'distribution.freeze'
        : input.frozen === false && dist.frozen
          ? 'distribution.unfreeze'
          : 'distribution.update';
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action,
      target: `distribution ${repository.slug} ${d.name}`,
      targetId: d.id,
      details: { format: d.format.toLowerCase(), ...input },
    });
    validityChanged =
      input.validDays !== undefined && input.validDays !== dist.validDays && d.format === 'DEB';
    return d;
  });
  // A new retention policy takes effect at once: the next publication applies it; so does a new
  // validity (the republication re-signs with the new Valid-Until).
  if (input.retention !== undefined || validityChanged) {
    const bumped = await ctx.db.distribution.update({
      where: { id: updated.id },
      data: { generation: { increment: 1 } },
    });
    await requestPublication(ctx, bumped.id, bumped.generation);
  }
  const counts = await countLivePackages(ctx, [updated.id]);
  return toDistributionView(updated, counts.get(updated.id) ?? 0);
}
