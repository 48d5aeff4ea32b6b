// Rolls a distribution back: the package set an earlier publication listed (PackageListing) becomes
// the distribution's set again and is published anew — new Date, new signatures — so clients accept it
// as newer than what they hold. Packages added since leave the indexes (REMOVED, files still served for the
// retention period); packages removed since come back, except yanked ones.
import type { Tx } from '@pallet/db';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import { Conflict, NotFound } from '../errors/domain-errors';
import { listedBy } from './package-listing';
import { requestPublication } from './request-publication';

export interface RestoreChange {
  id: string;
  name: string;
  version: string;
  architecture: string;
}

export interface RestorePlan {
  publicationId: string;
  distribution: string;
  /** versions the restore brings back */
  add: RestoreChange[];
  /** versions in the indexes now that the restore takes out */
  remove: RestoreChange[];
  /** versions the publication listed that stay out because they were yanked */
  yanked: RestoreChange[];
}

const change = (p: RestoreChange): RestoreChange => ({
  id: p.id,
  name: p.name,
  version: p.version,
  architecture: p.architecture,
});

async function loadRestorable(
  db: Pick<Tx, 'publication' | 'packageListing'>,
  repositoryId: string,
  publicationId: string,
) {
  const found = await db.publication.findFirst({
    where: { id: publicationId, distribution: { repositoryId } },
    include: { distribution: true },
  });
  if (!found) throw new NotFound('publication');
  if (found.status !== 'PUBLISHED' && found.status !== 'SUPERSEDED')
    throw new Conflict('Only a published publication can be restored.', 'publication_not_restorable');
  const listings = await db.packageListing.findMany({ where: listedBy(found), include: { package: true } });
  const pub = { ...found, packages: listings.map((l) => l.package) };
  if (pub.packages.length === 0 && pub.packageCount > 0)
    throw new Conflict(
      'This publication predates package-set records and cannot be restored.',
      'publication_set_unknown',
    );
  return pub;
}

async function planFor(
  db: Pick<Tx, 'publication' | 'package' | 'packageListing'>,
  repositoryId: string,
  publicationId: string,
) {
  const pub = await loadRestorable(db, repositoryId, publicationId);
  const listed = new Map(pub.packages.map((p) => [p.id, p]));
  const live = await db.package.findMany({
    where: { distributionId: pub.distributionId, status: { in: ['PUBLISHED', 'PROCESSING', 'DELETING'] } },
  });
  const liveIds = new Set(live.filter((p) => p.status !== 'DELETING').map((p) => p.id));
  const back = [...listed.values()].filter((p) => !liveIds.has(p.id));
  return {
    pub,
    // rows in the indexes now (or leaving them) that the publication did not list
    remove: live.filter((p) => !listed.has(p.id)),
    add: back.filter((p) => !p.yankedAt && p.status !== 'DELETING'),
    yanked: back.filter((p) => p.yankedAt),
    // a listed row whose deletion is pending simply stays
    keepDeleting: back.filter((p) => p.status === 'DELETING' && !p.yankedAt),
  };
}

/** What a restore would change, for the dashboard's confirmation. */
export async function previewRestore(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  publicationId: string,
): Promise<RestorePlan> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const plan = await planFor(ctx.db, repository.id, publicationId);
  return {
    publicationId,
    distribution: plan.pub.distribution.name,
    add: plan.add.map(change),
    remove: plan.remove.filter((p) => p.status !== 'DELETING').map(change),
    yanked: plan.yanked.map(change),
  };
}

export async function restorePublication(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  publicationId: string,
): Promise<{ distribution: string; generation: number; added: number; removed: number }> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'write');
  const result = await ctx.db.$transaction(async (tx) => {
    const first = await loadRestorable(tx, repository.id, publicationId);
    // The publisher's lock: no publication of this distribution is built while its set changes.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${first.distributionId}))`;
    const plan = await planFor(tx, repository.id, publicationId);
    const dist = plan.pub.distribution;
    assertNotFrozen(dist, 'a restore');
    const now = new Date();
    await tx.package.updateMany({
      where: { id: { in: plan.remove.map((p) => p.id) } },
      data: { status: 'REMOVED', removedAt: now },
    });
    // Back as newly added rows (their index entries are kept), after the rows that held their identity left.
    const revive = plan.add;
    await tx.package.updateMany({
      where: { id: { in: revive.map((p) => p.id) } },
      data: { status: 'PROCESSING', removedAt: null },
    });
    await tx.package.updateMany({
      where: { id: { in: plan.keepDeleting.map((p) => p.id) } },
      data: { status: 'PUBLISHED' },
    });
    const updated = await tx.distribution.update({
      where: { id: dist.id },
      data: { generation: { increment: 1 } },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'publication.restore',
      target: `publication ${repository.slug} ${dist.name}`,
      targetId: publicationId,
      details: {
        generation: updated.generation,
        added: revive.slice(0, 200).map((p) => `${p.name} ${p.version} ${p.architecture}`),
        removed: plan.remove.slice(0, 200).map((p) => `${p.name} ${p.version} ${p.architecture}`),
        yankedKeptOut: plan.yanked.length,
      },
    });
    return {
      dist: updated,
      added: revive.length,
      removed: plan.remove.filter((p) => p.status !== 'DELETING').length,
    };
  });
  await requestPublication(ctx, result.dist.id, result.dist.generation);
  return {
    distribution: result.dist.name,
    generation: result.dist.generation,
    added: result.added,
    removed: result.removed,
  };
}
