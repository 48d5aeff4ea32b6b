// Registers a staged upload as a Package of a distribution: idempotent for identical bytes, 409 for other
// bytes under the same name+version+arch unless overwrite, then queues it for ingestion. Its statements
// run on the plain pg path (rawTransaction): the web front answers uploads without Prisma's query compiler.
import { type Blob, type Distribution, type RawSql, rawSql, rawTransaction } from '@pallet/db';
import { poolPath } from '@pallet/deb';
import { rpmLocationHref, sourceRpmName } from '@pallet/rpm';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import {
  authorizeRepositoryUpload,
  type UploadAuthorization,
  uploadAuthorizationHoldsSql,
} from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { assertNotFrozen } from '../distribution/assert-not-frozen';
import {
  type DistributionName,
  distroAccepts,
  parseDistributionName,
} from '../distribution/distribution-name';
import { ensureDistribution } from '../distribution/ensure-distribution';
import { Conflict, InvalidPackage, InvalidRequest } from '../errors/domain-errors';
import { evaluateUploadPolicy, type PolicyDecision } from '../policy/evaluate-upload-policy';
import { claimFileName, fileNameScope, supersedeFileName } from './claim-file-name';
import { packageIdentityLock } from './lock-package-identity';
import { type PackageSummary, type PackageView, toPackageView } from './package-view';
import {
  AUTHORIZATION_CHANGED,
  type FirstUpload,
  type PackageAuditEvent,
  recordFirstUpload,
  type UploadedContent,
  writeUploadedPackage,
} from './record-uploaded-package';
import { archivePackageContent } from './remove-packages';
import { declaredLicenses } from './spdx-license';
import { discardStagedUpload, type StagedUpload, toPackageError } from './stage-upload';

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

/**
 * Checks credentials before the body is read, so a 2 GiB upload is not streamed only to be refused. Its
 * answer, handed to uploadPackage, is checked again by the statement that records the upload.
 */
export async function authorizeUpload(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<UploadAuthorization> {
  return authorizeRepositoryUpload(ctx, actor, orgSlug, repoSlug);
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

interface UploadPlan {
  first: Omit<Parameters<typeof recordFirstUpload>[1], 'onlyNewOrSameBytes'>;
  format: 'deb' | 'rpm';
  dist: DistributionName;
  overwrite: boolean;
  events: (action: 'package.upload' | 'package.overwrite') => PackageAuditEvent[];
}

interface Registration {
  created: boolean;
  pkg: PackageSummary & { blob: Blob; distribution: Distribution };
  /** whether the blob row now points at the staged bytes (they must be kept) */
  blobCreated: boolean;
}

/**
 * The answer recordFirstUpload settled, on either way: a new package, or the same bytes again. The rows
 * an answer shows are at hand (the blob, the distribution): no relation is read again.
 */
function settledAnswer(
  recorded: FirstUpload | null,
  distribution: Distribution | undefined = recorded?.distribution,
): Registration | null {
  if (!recorded?.blob || !distribution) return null;
  const { blob, created, live } = recorded;
  if (created)
    return { created: true, pkg: { ...created, blob, distribution }, blobCreated: recorded.blobCreated };
  if (live && live.blobId === blob.id && live.status !== 'DELETING') {
    return { created: false, pkg: { ...live, blob, distribution }, blobCreated: recorded.blobCreated };
  }
  return null;
}

/** Every other case, in a transaction under the identity's lock (ensureDistribution takes it). */
async function registerUnderLock(sql: RawSql, plan: UploadPlan): Promise<Registration> {
  const { first, dist } = plan;
  const { repositoryId, component } = first.distribution;
  const { identity: id, stored, names } = first;
  // Takes the identity's lock: everything below reads under it.
  const distribution = await ensureDistribution(sql, repositoryId, plan.format, dist, component, id);
  assertNotFrozen(distribution, 'an upload');
  const recorded = await recordFirstUpload(sql, { ...first, onlyNewOrSameBytes: false });
  if (recorded === AUTHORIZATION_CHANGED || !recorded?.blob)
    throw new Error(`distribution ${dist.name} is not ready after ensureDistribution`);
  const { blob, live } = recorded;
  const key = {
    repositoryId,
    distributionId: distribution.id,
    name: id.name,
    version: id.version,
    architecture: id.architecture,
  };
  const settled = settledAnswer(recorded, distribution);
  if (settled) return settled;
  if (live && live.status !== 'DELETING' && !plan.overwrite) {
    throw new Conflict(
      `${id.name} ${id.version} (${id.architecture}) already exists in ${dist.name} with other content; set overwrite=true to replace it.`,
      'package_exists',
    );
  }
  // An overwrite, a re-upload over a pending deletion, or a canonical name other bytes hold.
  if (live) await archivePackageContent(sql, live.id);
  const filename = await claimFileName(sql, names, first.canonicalFilename, stored.sha256);
  if (live?.filename && live.filename !== filename && live.status !== 'DELETING') {
    await supersedeFileName(sql, names, live.filename);
  }
  const row = await writeUploadedPackage(sql, {
    key,
    existingId: live?.id ?? null,
    blobId: blob.id,
    filename,
    content: first.content,
    events: plan.events(live && live.status !== 'DELETING' ? 'package.overwrite' : 'package.upload'),
  });
  return { created: true, pkg: { ...row, blob, distribution }, blobCreated: recorded.blobCreated };
}

type UploadFields = z.output<typeof uploadFields>;

/**
 * What the upload will write, under an authorization and its policy. A refusal is decided on an
 * authorization read just now (`fresh`): on an earlier one the answer is 'recheck'.
 */
async function planUpload(
  ctx: CoreContext,
  actor: Actor,
  staged: StagedUpload,
  fields: UploadFields,
  { org, repository, policyRules }: UploadAuthorization,
  fresh: boolean,
): Promise<UploadPlan | 'recheck'> {
  const dist = parseDistributionName(fields.distribution);
  if (!distroAccepts(dist.distro, staged.format)) {
    throw new InvalidRequest(
      `Distribution ${dist.name} does not take .${staged.format} packages.`,
      'wrong_distribution',
    );
  }
  if (staged.format === 'rpm' && fields.component) {
    throw new InvalidRequest('component applies to .deb packages only.');
  }
  const id = identifyOrRefuse(staged, dist.release, fields.component ?? 'main');
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
    if (!fresh) return 'recheck';
    await recordAuditEvent(ctx.db, {
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
    });
    throw new InvalidPackage(
      `The repository's upload policy refuses this package: ${decision.reasons.join(' ')}`,
      'policy_violation',
    );
  }
  const quarantined = decision.action === 'quarantine';
  const content: UploadedContent = {
    format: staged.format === 'deb' ? 'DEB' : 'RPM',
    component: id.component,
    status: quarantined ? 'QUARANTINED' : 'PROCESSING',
    quarantineReason: quarantined ? decision.reasons.join(' ') : null,
    sourceName: id.sourceName,
    sourceVersion: id.sourceVersion,
    metadata: id.metadata,
    licenses: id.licenses,
    uploadedBy: actor.kind === 'user' ? actor.email : actor.kind === 'token' ? actor.name : null,
  };
  const events = (action: 'package.upload' | 'package.overwrite'): PackageAuditEvent[] => [
    {
      orgId: org.id,
      actor,
      action,
      target,
      details: {
        repository: repository.slug,
        distribution: dist.name,
        sha256: staged.sha256,
        size: staged.size,
      },
    },
    ...(quarantined
      ? [
          {
            orgId: org.id,
            actor,
            action: 'package.quarantine',
            target,
            details: { repository: repository.slug, distribution: dist.name, reasons: decision.reasons },
          },
        ]
      : []),
  ];
  // Other bytes than the name's first content (an overwrite) are served under a name of their own.
  return {
    first: {
      stored: staged,
      distribution: {
        repositoryId: repository.id,
        format: content.format,
        name: dist.name,
        component: id.component,
      },
      lock: packageIdentityLock(repository.id, dist.name, id),
      identity: { name: id.name, version: id.version, architecture: id.architecture },
      names: { repositoryId: repository.id, scope: fileNameScope(staged.format, dist) },
      canonicalFilename: id.filename,
      content,
      events: events('package.upload'),
    },
    format: staged.format,
    dist,
    overwrite: fields.overwrite,
    events,
  };
}

/**
 * Registers the staged upload. `authorized` is authorizeUpload's answer from before the body was read:
 * the statement that records the upload checks in its own snapshot that it still holds
 * (uploadAuthorizationHoldsSql) instead of a separate read; should it not, or should the upload end
 * before that statement (a bad field, a policy refusal), the authorization is read afresh first, so a
 * client whose access went away meanwhile hears 404/403 as it would have.
 */
export async function uploadPackage(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  staged: StagedUpload,
  rawFields: unknown,
  authorized?: UploadAuthorization,
): Promise<{ created: boolean; package: PackageView }> {
  let keepStaged = false;
  try {
    const fields = uploadFields.safeParse(rawFields);
    if (!fields.success)
      throw new InvalidRequest(fields.error.issues[0]?.message ?? 'Invalid upload fields.');
    let earlier = authorized;
    let registration: { plan: UploadPlan; quick: FirstUpload | null } | null = null;
    while (!registration) {
      const fresh = !earlier;
      const auth = earlier ?? (await authorizeRepositoryUpload(ctx, actor, orgSlug, repoSlug));
      earlier = undefined;
      let plan: UploadPlan | 'recheck';
      try {
        plan = await planUpload(ctx, actor, staged, fields.data, auth, fresh);
      } catch (err) {
        if (!fresh) await authorizeRepositoryUpload(ctx, actor, orgSlug, repoSlug);
        throw err;
      }
      if (plan === 'recheck') continue;
      // Most uploads end with this one statement, on its own (no BEGIN/COMMIT round trips): a new package,
      // or the same bytes again. It answers from its snapshot; whatever else comes up, the transaction
      // decides under the identity's lock.
      const quick = await recordFirstUpload(rawSql(ctx.db), {
        ...plan.first,
        onlyNewOrSameBytes: true,
        holds: fresh ? undefined : uploadAuthorizationHoldsSql(actor, orgSlug, repoSlug, auth),
      });
      if (quick !== AUTHORIZATION_CHANGED) registration = { plan, quick };
    }
    const { plan, quick } = registration;
    // Committed already: the staged bytes are the blob's from now on, whatever the transaction decides.
    if (quick?.blobCreated) keepStaged = true;
    const result =
      settledAnswer(quick) ?? (await rawTransaction(ctx.db, (sql) => registerUnderLock(sql, plan)));
    keepStaged ||= result.blobCreated;
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
