// Copies (promotes) a package into another distribution of its repository or of another repository of
// the same org, without re-uploading: the new row points at the same uploaded blob, and ingestion
// prepares what the target serves (a .deb as is; an rpm signed again with the target repository's key,
// which makes new bytes under the target's download name). A move also takes the package out of its
// source distribution in the same transaction.

import type { Package, Repository, Tx } from '@pallet/db';
import type { DebPackage } from '@pallet/deb';
import { poolPath } from '@pallet/deb';
import { type RpmPackage, rpmLocationHref } from '@pallet/rpm';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import { distroAccepts, parseDistributionName } from '../distribution/distribution-name';
import { ensureDistribution } from '../distribution/ensure-distribution';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { requestPublication } from '../publication/request-publication';
import { claimFileName, fileNameScope } from './claim-file-name';
import { type PackageView, toPackageView } from './package-view';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'repo must be a repository slug');
const component = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'component must be lowercase letters, digits and dashes');

export const copyTargetInput = z.object({
  repo: slug.optional(),
  distribution: z.string().min(1, 'distribution is required'),
  component: component.optional(),
});
export const copyPackageInput = copyTargetInput.strict();

export type CopyMode = 'copy' | 'move';
export type CopyTarget = z.infer<typeof copyTargetInput>;

export interface CopyOutcome {
  /** false when the target already held these exact bytes (nothing changed) */
  created: boolean;
  package: PackageView;
}

export async function copyPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  id: string,
  raw: unknown,
  mode: CopyMode,
): Promise<CopyOutcome> {
  const parsed = copyPackageInput.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid copy request.');
  const { source, target } = await authorizeCopy(ctx, actor, orgSlug, repoSlug, parsed.data, mode);
  const outcome = await ctx.db.$transaction(async (tx) => {
    const pkg = await tx.package.findFirst({
      where: { id, repositoryId: source.repository.id, status: { in: ['PUBLISHED', 'PROCESSING'] } },
    });
    if (!pkg) throw new NotFound('package');
    return copyPackageRow(tx, actor, pkg, source.repository, target, parsed.data, mode);
  });
  await afterCopy(ctx, outcome);
  return { created: outcome.created, package: outcome.view };
}

/** Both ends authorized in the same org: reading the source (writing it for a move), writing the target. */
export async function authorizeCopy(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  input: CopyTarget,
  mode: CopyMode,
) {
  const source = await authorizeRepository(ctx, actor, orgSlug, repoSlug, mode === 'move' ? 'write' : 'read');
  const target =
    input.repo && input.repo !== repoSlug
      ? await authorizeRepository(ctx, actor, orgSlug, input.repo, 'write')
      : await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'write');
  return { source, target };
}

export interface CopiedRow {
  created: boolean;
  view: PackageView;
  newPackageId?: string;
  moved?: { distributionId: string; generation: number };
}

/** One package into the target, inside the caller's transaction. */
export async function copyPackageRow(
  tx: Tx,
  actor: Actor,
  pkg: Package,
  sourceRepository: Repository,
  target: { org: { id: string }; repository: Repository },
  input: CopyTarget,
  mode: CopyMode,
): Promise<CopiedRow> {
  const format = pkg.format === 'DEB' ? 'deb' : 'rpm';
  const dist = parseDistributionName(input.distribution);
  if (!distroAccepts(dist.distro, format)) {
    throw new InvalidRequest(
      `Distribution ${dist.name} does not take .${format} packages.`,
      'wrong_distribution',
    );
  }
  if (format === 'rpm' && input.component)
    throw new InvalidRequest('component applies to .deb packages only.');
  const targetComponent = format === 'deb' ? (input.component ?? pkg.component ?? 'main') : null;
  const sourceDist = await tx.distribution.findUniqueOrThrow({ where: { id: pkg.distributionId } });
  if (
    target.repository.id === sourceRepository.id &&
    sourceDist.name === dist.name &&
    sourceDist.format === pkg.format
  ) {
    throw new InvalidRequest(`The package is already in ${dist.name}.`, 'same_distribution');
  }
  if (mode === 'move') assertNotFrozen(sourceDist, 'moving a package out of it');
  const targetDist = await ensureDistribution(tx, target.repository.id, format, dist, targetComponent, pkg);
  assertNotFrozen(targetDist, `a ${mode}`);
  const live = await tx.package.findFirst({
    where: {
      distributionId: targetDist.id,
      name: pkg.name,
      version: pkg.version,
      architecture: pkg.architecture,
      status: { in: ['PROCESSING', 'PUBLISHED', 'FAILED'] },
    },
    include: { blob: true, distribution: true },
  });
  if (live && live.blobId !== pkg.blobId) {
    throw new Conflict(
      `${pkg.name} ${pkg.version} (${pkg.architecture}) already exists in ${dist.name} with other content.`,
      'package_exists',
    );
  }
  const blob = await tx.blob.findUniqueOrThrow({ where: { id: pkg.blobId } });
  let copy = live;
  if (!copy) {
    const canonical =
      format === 'deb'
        ? poolPath({
            ...(pkg.metadata as unknown as { deb: DebPackage }).deb,
            release: dist.release,
            component: targetComponent ?? 'main',
          })
        : rpmLocationHref((pkg.metadata as unknown as { rpm: RpmPackage }).rpm);
    const names = { repositoryId: target.repository.id, scope: fileNameScope(format, dist) };
    const filename = await claimFileName(tx, names, canonical, blob.sha256);
    copy = await tx.package.create({
      data: {
        repositoryId: target.repository.id,
        distributionId: targetDist.id,
        format: pkg.format,
        component: targetComponent,
        name: pkg.name,
        version: pkg.version,
        architecture: pkg.architecture,
        status: 'PROCESSING',
        blobId: pkg.blobId,
        filename,
        metadata: pkg.metadata ?? {},
        licenses: pkg.licenses,
        // advisories name source packages: a copy is matched like its original
        sourceName: pkg.sourceName,
        sourceVersion: pkg.sourceVersion,
        uploadedBy: pkg.uploadedBy,
        copiedFromId: pkg.id,
      },
      include: { blob: true, distribution: true },
    });
  }
  let moved: CopiedRow['moved'];
  if (mode === 'move') {
    await tx.package.update({ where: { id: pkg.id }, data: { status: 'DELETING' } });
    const d = await tx.distribution.update({
      where: { id: pkg.distributionId },
      data: { generation: { increment: 1 } },
    });
    moved = { distributionId: d.id, generation: d.generation };
  }
  await recordAuditEvent(tx, {
    orgId: target.org.id,
    actor,
    action: mode === 'move' ? 'package.move' : 'package.copy',
    target: `package ${pkg.name} ${pkg.version} ${pkg.architecture}`,
    targetId: copy.id,
    details: {
      from: { repository: sourceRepository.slug, distribution: sourceDist.name, packageId: pkg.id },
      to: { repository: target.repository.slug, distribution: dist.name, packageId: copy.id },
      created: !live,
    },
  });
  return { created: !live, view: toPackageView(copy), newPackageId: live ? undefined : copy.id, moved };
}

/** Queues the new row's ingestion (which requests the target's publication) and the source's publication. */
export async function afterCopy(ctx: CoreContext, outcome: CopiedRow): Promise<void> {
  if (outcome.newPackageId) {
    await ctx.queues.enqueueIngest({ packageId: outcome.newPackageId }).catch((err) => {
      // The worker's start-up sweep re-queues packages left in processing.
      ctx.log.error(
        { err: (err as Error).message, packageId: outcome.newPackageId },
        'could not queue ingestion',
      );
    });
  }
  if (outcome.moved) await requestPublication(ctx, outcome.moved.distributionId, outcome.moved.generation);
}
