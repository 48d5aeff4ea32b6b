// Registers a staged upload as a Package of a distribution: idempotent for identical bytes, 409 for other
// bytes under the same name+version+arch unless overwrite, then queues it for ingestion.
import { Prisma } from '@pallet/db';
import { poolPath } from '@pallet/deb';
import { rpmLocationHref, sourceRpmName } from '@pallet/rpm';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository, authorizeRepositoryUpload } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import { distroAccepts, parseDistributionName } from '../distribution/distribution-name';
import { ensureDistribution } from '../distribution/ensure-distribution';
import { Conflict, InvalidPackage, InvalidRequest } from '../errors/domain-errors';
import { evaluateUploadPolicy, type PolicyDecision } from '../policy/evaluate-upload-policy';
import { claimFileName, fileNameScope, supersedeFileName } from './claim-file-name';
import { type PackageView, toPackageView } from './package-view';
import { archivePackageContent } from './remove-packages';
import { declaredLicenses } from './spdx-license';
import { discardStagedUpload, type StagedUpload, toPackageError } from './stage-upload';
import { recordBlob } from './store-blob';

export const uploadFields = z.object({
  distribution: z.string().min(1, 'distribution is required'),
  component: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'component must be lowercase letters, digits and dashes')
    .optional(),
  overwrite: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .optional()
    .transform((v) => v === true || v === 'true' || v === '1'),
});

/** Checks credentials before the body is read, so a 2 GiB upload is not streamed only to be refused. */
export async function authorizeUpload(ctx: CoreContext, actor: Actor, orgSlug: string, repoSlug: string) {
  return authorizeRepository(ctx, actor, orgSlug, repoSlug, 'write');
}

interface Identity {
  name: string;
  version: string;
  architecture: string;
  filename: string;
  component: string | null;
  sourceName: string | null;
  sourceVersion: string | null;
  metadata: object;
  licenses: string[];
}

function identify(staged: StagedUpload, release: string, component: string): Identity {
  if (staged.format === 'deb') {
    const d = staged.deb;
    return {
      name: d.name,
      version: d.version,
      architecture: d.architecture,
      component,
      filename: poolPath({
        release,
        component,
        source: d.source,
        name: d.name,
        version: d.version,
        architecture: d.architecture,
      }),
      sourceName: d.source && d.source !== d.name ? d.source : null,
      sourceVersion: d.sourceVersion && d.sourceVersion !== d.version ? d.sourceVersion : null,
      metadata: { deb: d },
      licenses: declaredLicenses(staged),
    };
  }
  const r = staged.rpm;
  const version = `${r.epoch ? `${r.epoch}:` : ''}${r.version}-${r.release}`;
  return {
    name: r.name,
    version,
    architecture: r.isSource ? 'src' : r.arch,
    component: null,
    filename: rpmLocationHref(r),
    sourceName: r.isSource ? null : (sourceRpmName(r.sourceRpm) ?? null),
    sourceVersion: null,
    metadata: { rpm: r },
    licenses: declaredLicenses(staged),
  };
}

/** The format libraries refuse unsafe names (a TypeError, or their own error): the package's fault, a 422. */
function identifyOrRefuse(staged: StagedUpload, release: string, component: string): Identity {
  try {
    return identify(staged, release, component);
  } catch (err) {
    if (err instanceof TypeError)
      throw new InvalidPackage(`The package metadata is not usable: ${err.message}.`);
    throw toPackageError(err);
  }
}

export async function uploadPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  staged: StagedUpload,
  rawFields: unknown,
): Promise<{ created: boolean; package: PackageView }> {
  let keepStaged = false;
  let blobCreated = false;
  try {
    const fields = uploadFields.safeParse(rawFields);
    if (!fields.success)
      throw new InvalidRequest(fields.error.issues[0]?.message ?? 'Invalid upload fields.');
    const { org, repository, policyRules } = await authorizeRepositoryUpload(ctx, actor, orgSlug, repoSlug);
    const dist = parseDistributionName(fields.data.distribution);
    if (!distroAccepts(dist.distro, staged.format)) {
      throw new InvalidRequest(
        `Distribution ${dist.name} does not take .${staged.format} packages.`,
        'wrong_distribution',
      );
    }
    if (staged.format === 'rpm' && fields.data.component) {
      throw new InvalidRequest('component applies to .deb packages only.');
    }
    const id = identifyOrRefuse(staged, dist.release, fields.data.component ?? 'main');
    const target = `package ${id.name} ${id.version} ${id.architecture}`;
    const decision: PolicyDecision = await evaluateUploadPolicy(ctx.db, policyRules, {
      format: staged.format,
      distro: dist.distro,
      release: dist.release,
      name: id.name,
      version: id.version,
      sourceName: id.sourceName,
      sourceVersion: id.sourceVersion,
      licenses: id.licenses,
      signed: staged.format === 'rpm' ? staged.rpm.signatureTags.length > 0 : undefined,
    });
    if (decision.action === 'refuse') {
      await ctx.db.$transaction((tx) =>
        recordAuditEvent(tx, {
          orgId: org.id,
          actor,
          action: 'package.refuse',
          target,
          details: {
            repository: repository.slug,
            distribution: dist.name,
            sha256: staged.sha256,
            reasons: decision.reasons,
          },
        }),
      );
      throw new InvalidPackage(
        `The repository's upload policy refuses this package: ${decision.reasons.join(' ')}`,
        'policy_violation',
      );
    }
    const quarantined = decision.action === 'quarantine';
    const result = await ctx.db.$transaction(async (tx) => {
      const distribution = await ensureDistribution(tx, repository.id, staged.format, dist, id.component, id);
      // The blob row and the id of the identity's live package (at most one: Package_live_identity_key)
      // in one statement, read under the identity lock; the row itself only when there is one.
      const recorded = await recordBlob(
        tx,
        staged,
        Prisma.sql`SELECT p."id" FROM "Package" p WHERE p."distributionId" = ${distribution.id}
          AND p."name" = ${id.name} AND p."version" = ${id.version} AND p."architecture" = ${id.architecture}
          AND p."status" <> 'REMOVED'`,
      );
      const blob = recorded.blob;
      blobCreated = recorded.created;
      // The rows an answer shows are at hand (the blob, the distribution): no relation is read again.
      const live =
        typeof recorded.alongside === 'string'
          ? await tx.package.findUniqueOrThrow({ where: { id: recorded.alongside } })
          : null;
      assertNotFrozen(distribution, 'an upload');
      if (live && live.blobId === blob.id && live.status !== 'DELETING') {
        return { created: false, pkg: { ...live, blob, distribution } };
      }
      if (live && live.status !== 'DELETING' && !fields.data.overwrite) {
        throw new Conflict(
          `${id.name} ${id.version} (${id.architecture}) already exists in ${dist.name} with other content; set overwrite=true to replace it.`,
          'package_exists',
        );
      }
      if (live) await archivePackageContent(tx, live.id);
      const existing = live;
      // Other bytes than the name's first content (an overwrite) are served under a name of their own.
      const names = { repositoryId: repository.id, scope: fileNameScope(staged.format, dist) };
      const filename = await claimFileName(tx, names, id.filename, staged.sha256);
      if (existing?.filename && existing.filename !== filename && existing.status !== 'DELETING') {
        await supersedeFileName(tx, names, existing.filename);
      }
      const data = {
        format: staged.format === 'deb' ? ('DEB' as const) : ('RPM' as const),
        component: id.component,
        status: quarantined ? ('QUARANTINED' as const) : ('PROCESSING' as const),
        quarantineReason: quarantined ? decision.reasons.join(' ') : null,
        error: null,
        blobId: blob.id,
        servedBlobId: null,
        filename,
        sourceName: id.sourceName,
        sourceVersion: id.sourceVersion,
        metadata: id.metadata,
        licenses: id.licenses,
        indexEntry: null,
        indexExtra: undefined,
        uploadedBy: actor.kind === 'user' ? actor.email : actor.kind === 'token' ? actor.name : null,
        publishedAt: null,
      };
      const row = existing
        ? await tx.package.update({ where: { id: existing.id }, data })
        : await tx.package.create({
            data: {
              ...data,
              repositoryId: repository.id,
              distributionId: distribution.id,
              name: id.name,
              version: id.version,
              architecture: id.architecture,
            },
          });
      const pkg = { ...row, blob, distribution };
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: existing && existing.status !== 'DELETING' ? 'package.overwrite' : 'package.upload',
        target,
        targetId: pkg.id,
        details: {
          repository: repository.slug,
          distribution: dist.name,
          sha256: staged.sha256,
          size: staged.size,
        },
      });
      if (quarantined) {
        await recordAuditEvent(tx, {
          orgId: org.id,
          actor,
          action: 'package.quarantine',
          target,
          targetId: pkg.id,
          details: { repository: repository.slug, distribution: dist.name, reasons: decision.reasons },
        });
      }
      return { created: true, pkg };
    });
    keepStaged = blobCreated;
    if (result.created) {
      // The distribution's ingestion takes every package waiting in it (a burst is a few batches).
      await ctx.queues.enqueueIngest({ distributionId: result.pkg.distributionId }).catch((err) => {
        // The worker's start-up sweep re-queues packages left in processing.
        ctx.log.error({ err: (err as Error).message, packageId: result.pkg.id }, 'could not queue ingestion');
      });
    }
    return { created: result.created, package: toPackageView(result.pkg) };
  } finally {
    if (!keepStaged) await discardStagedUpload(ctx, staged);
  }
}
