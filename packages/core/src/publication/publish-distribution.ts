// Publishes one distribution: under a per-distribution lock, builds every index from database rows
// (never re-reading package files), stores the files content-addressed, then switches the
// distribution's current publication in one transaction. Bursts coalesce: a request whose generation
// is already published, or for which a newer request exists, does nothing; one that comes too early
// (schedule-publication.ts) is answered with the time to come back.

import { type RawSql, rawSql } from '@pallet/db';
import type { RepodataBase } from '@pallet/rpm';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { DEFAULT_DEB_ARCHITECTURES } from '../distribution/ensure-distribution';
import { GC_LOCK } from '../gc/gc-lock';
import { applyRetention } from '../retention/apply-retention';
import { loadSigningKeys } from '../signing-key/load-signing-keys';
import { logPublication } from '../transparency-log/log-publication';
import { emitWebhookEvent } from '../webhook/emit-webhook-event';
import { emitPackagesPublished } from '../webhook/package-events';
import { buildDebPublication, type DebIndexBase, debIndexDirs } from './build-deb-publication';
import { buildRpmPublication, type RpmIndexRow } from './build-rpm-publication';
import { rememberDebIndexes } from './deb-index-cache';
import { loadDebIndexBase } from './load-deb-index-base';
import { keepRpmRepodataBase, loadRpmRepodataBase } from './load-rpm-repodata-base';
import { recordListings } from './package-listing';
import { storeContentAddressed } from './publication-file';
import { validUntilFor } from './refresh-valid-until';
import { type PublicationTiming, scheduleNextPublication } from './schedule-publication';

const LOCK_TIMEOUT_MS = 10 * 60_000;

export interface PublishResult {
  skipped: boolean;
  /** set when skipped because it is too early: publish again at (or after) this time */
  notBefore?: Date;
  publicationId?: string;
  packageCount?: number;
}

export interface PublishOptions {
  /** the generation this request was made for; a request older than the distribution's is dropped,
   * since the request for the newer generation follows it */
  generation?: number;
  /** the adaptive debounce; without it only the one-publication-per-second rule applies */
  timing?: PublicationTiming;
}

export async function publishDistribution(
  ctx: CoreContext,
  distributionId: string,
  opts: PublishOptions = {},
): Promise<PublishResult> {
  // A request that finds nothing to publish, or comes too early, is answered from one statement without
  // the transaction and its lock (a burst of uploads makes many); the transaction checks again under the lock.
  if (opts.timing) {
    const early = whyNotNow(await readPublicationState(rawSql(ctx.db), distributionId), opts);
    if (early) return early;
  }
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${distributionId}))`;
      const state = await readPublicationState(rawSql(tx), distributionId);
      const early = whyNotNow(state, opts);
      if (early) return early;
      const dist = await tx.distribution.findUnique({
        where: { id: distributionId },
        include: { currentPublication: true, repository: { include: { org: true } } },
      });
      if (!dist) return { skipped: true };
      const current = dist.currentPublication;
      const startedAt = Date.now();
      // The current second: later than the current publication's Date (the schedule waits for the
      // next second) and never later than the signatures made below.
      const date = new Date(Math.floor(startedAt / 1000) * 1000);
      const generation = dist.generation;
      // Retention drops versions before the rows are read, so this publication no longer lists them.
      await applyRetention(tx, dist, date);
      const debBase =
        dist.format === 'DEB' && !ctx.config.debXz && current
          ? await findDebIndexBase(ctx, tx, dist, current)
          : null;
      const rpmBase =
        dist.format === 'RPM' && current ? await findRpmRepodataBase(ctx, tx, dist, current) : null;
      const base = debBase ?? rpmBase;
      const rows =
        base?.added ??
        (await tx.package.findMany({
          where: { distributionId, status: { in: ['PROCESSING', 'PUBLISHED'] }, indexEntry: { not: null } },
          select: ROW_FIELDS,
          orderBy: ROW_ORDER,
        }));
      const packageCount = base ? base.publishedCount + rows.length : rows.length;
      const keys = await loadSigningKeys(ctx, dist.repositoryId);
      let rpmNext: RepodataBase | undefined;
      const repo = dist.repository;
      let debIndexes: Map<string, DebIndexBase> | undefined;
      const files =
        dist.format === 'DEB'
          ? await buildDebPublication({
              release: dist.release,
              origin: `${repo.org.slug}/${repo.slug}`,
              label: `${repo.org.slug}/${repo.slug}`,
              description: `${repo.org.slug}/${repo.slug} ${dist.name} (Pallet)`,
              components: dist.components,
              defaultArchitectures: DEFAULT_DEB_ARCHITECTURES,
              base: debBase?.base,
              rows: rows.map((r) => ({
                component: r.component,
                architecture: r.architecture,
                indexEntry: r.indexEntry ?? '',
              })),
              date,
              validUntil: validUntilFor(ctx.config, dist.validDays, date),
              signingKeys: keys,
              withXz: ctx.config.debXz,
              indexesBuilt: (indexes) => {
                debIndexes = indexes;
              },
            })
          : await buildRpmPublication({
              base: rpmBase?.base,
              onRepodata: (next) => {
                rpmNext = next;
              },
              rows: rows.map((r) => ({
                indexEntry: r.indexEntry ?? '',
                indexExtra: r.indexExtra as unknown as RpmIndexRow['indexExtra'],
              })),
              date,
              signingKeys: keys,
            });
      // Shared with every other publication, exclusive to garbage collection: content-addressed objects
      // are reused when already stored, and collection must not delete one between our check and commit.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${GC_LOCK[0]}::int4, ${GC_LOCK[1]}::int4)`;
      // by-hash entries share their index's bytes: store (and hash) each distinct buffer once, all at once
      // (each write waits for its fsync; nothing is visible before the switch below).
      const distinct = new Map(files.map((f) => [f.bytes, f]));
      const stored = new Map(
        await Promise.all(
          [...distinct.values()].map(
            async (f) =>
              [f.bytes, await storeContentAddressed(ctx, f.bytes, f.contentType, f.sha256)] as const,
          ),
        ),
      );
      const top = files.find((f) => f.path.endsWith('/InRelease') || f.path === 'repodata/repomd.xml');
      const publication = await tx.publication.create({
        data: {
          distributionId,
          generation,
          status: 'PUBLISHED',
          packageCount,
          releaseSha256: top ? stored.get(top.bytes)?.sha256 : null,
          publishedAt: date,
        },
      });
      // Kept for the next append (an entry whose transaction rolls back names a publication never current).
      if (rpmNext) keepRpmRepodataBase(distributionId, publication.id, rpmNext);
      await tx.publicationFile.createMany({
        data: files.map((f) => {
          const s = stored.get(f.bytes)!;
          return {
            publicationId: publication.id,
            distributionId,
            path: f.path,
            storageKey: s.storageKey,
            size: s.size,
            sha256: s.sha256,
            contentType: f.contentType,
            immutable: f.immutable,
          };
        }),
      });
      await tx.publication.updateMany({
        where: { distributionId, status: 'PUBLISHED', id: { not: publication.id } },
        data: { status: 'SUPERSEDED', supersededAt: new Date() },
      });
      await tx.distribution.update({
        where: { id: distributionId },
        data: { currentPublicationId: publication.id },
      });
      // The package set this publication lists (what a restore publishes again, and what keeps removed rows
      // and their blobs from garbage collection while the publication is retained), as its change.
      const ids = rows.map((r) => r.id);
      await recordListings(tx, distributionId, generation, base ? { added: ids } : { all: ids });
      const newlyPublished = rows.filter((r) => r.status === 'PROCESSING').map((r) => r.id);
      await tx.package.updateMany({
        where: { id: { in: newlyPublished } },
        data: { status: 'PUBLISHED', publishedAt: date },
      });
      await tx.package.updateMany({
        where: { distributionId, status: 'DELETING' },
        data: { status: 'REMOVED', removedAt: date },
      });
      await recordAuditEvent(tx, {
        orgId: repo.orgId,
        actor: { kind: 'system' },
        action: 'publication.create',
        target: `publication ${repo.slug} ${dist.name}`,
        targetId: publication.id,
        details: { packageCount, generation },
      });
      const where = { orgId: repo.orgId, repository: repo.slug, distribution: dist.name };
      await emitPackagesPublished(tx, where, newlyPublished);
      await emitWebhookEvent(tx, {
        orgId: repo.orgId,
        event: 'publication.switched',
        payload: {
          repository: repo.slug,
          distribution: dist.name,
          publication: { id: publication.id, generation, packageCount, publishedAt: date.toISOString() },
          previousPublicationId: current?.id ?? null,
        },
      });
      // Last, so the log's lock is held only until this transaction commits.
      await logPublication(ctx, tx, {
        publicationId: publication.id,
        keyFingerprints: keys.map((k) => k.fingerprint),
      });
      // Kept for the next publication, under this one's id: should this transaction not commit, the id
      // never becomes current and the entry is never used.
      if (debIndexes) rememberDebIndexes(distributionId, publication.id, debIndexes);
      return { skipped: false, publicationId: publication.id, packageCount };
    },
    { timeout: LOCK_TIMEOUT_MS, maxWait: LOCK_TIMEOUT_MS },
  );
}

type Tx = Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0];

const ROW_FIELDS = {
  id: true,
  component: true,
  architecture: true,
  indexEntry: true,
  indexExtra: true,
  status: true,
} as const;
const ROW_ORDER = [
  { name: 'asc' as const },
  { version: 'asc' as const },
  { architecture: 'asc' as const },
  { id: 'asc' as const },
];

/**
 * When the distribution changed only by added packages since its current publication, that
 * publication's indexes to append them to. Rows only leave PUBLISHED (deleted, overwritten) and
 * enter it only through a publication, so as many PUBLISHED rows as the current publication holds,
 * and none being deleted, means the same set; anything else rebuilds from all rows.
 */
async function findDebIndexBase(
  ctx: CoreContext,
  tx: Tx,
  dist: { id: string; release: string; components: string[] },
  current: { id: string; packageCount: number },
) {
  const [deleting, publishedCount] = await Promise.all([
    tx.package.count({ where: { distributionId: dist.id, status: 'DELETING' } }),
    tx.package.count({ where: { distributionId: dist.id, status: 'PUBLISHED', indexEntry: { not: null } } }),
  ]);
  if (deleting > 0 || publishedCount !== current.packageCount) return null;
  const added = await tx.package.findMany({
    where: { distributionId: dist.id, status: 'PROCESSING', indexEntry: { not: null } },
    select: ROW_FIELDS,
    orderBy: ROW_ORDER,
  });
  const needed = debIndexDirs({
    components: dist.components,
    defaultArchitectures: DEFAULT_DEB_ARCHITECTURES,
    rows: added,
  });
  const base = await loadDebIndexBase(ctx, tx, current.id, dist.release, needed);
  return base ? { base, added, publishedCount } : null;
}

/**
 * As findDebIndexBase, for rpm: the current publication's repodata to append the added packages to
 * (load-rpm-repodata-base.ts), which also checks that it lists the published rows' current download
 * names (a re-signed rpm changes its row in place, under a new name).
 */
async function findRpmRepodataBase(
  ctx: CoreContext,
  tx: Tx,
  dist: { id: string },
  current: { id: string; packageCount: number },
) {
  const [deleting, published] = await Promise.all([
    tx.package.count({ where: { distributionId: dist.id, status: 'DELETING' } }),
    tx.package.findMany({
      where: { distributionId: dist.id, status: 'PUBLISHED', indexEntry: { not: null } },
      select: { filename: true },
    }),
  ]);
  if (deleting > 0 || published.length !== current.packageCount) return null;
  const added = await tx.package.findMany({
    where: { distributionId: dist.id, status: 'PROCESSING', indexEntry: { not: null } },
    select: ROW_FIELDS,
    orderBy: ROW_ORDER,
  });
  if (added.length === 0) return null;
  const filenames = published.map((p) => p.filename ?? '');
  const base = await loadRpmRepodataBase(ctx, tx, current, filenames);
  return base ? { base, added, publishedCount: published.length } : null;
}

interface PublicationState {
  generation: number;
  currentGeneration: number | null;
  currentDate: Date | null;
  currentMadeAt: Date | null;
  /** when the changes the next publication will carry were made (ingested or marked for deletion) */
  newestChange: Date | null;
  previousChange: Date | null;
  oldestChange: Date | null;
}

const PENDING_CHANGES = `FROM "Package" WHERE "distributionId" = d."id"
  AND (("status" = 'PROCESSING' AND "indexEntry" IS NOT NULL) OR "status" = 'DELETING')`;

/** The distribution's generation, its current publication's, and the times of its pending changes. */
async function readPublicationState(sql: RawSql, distributionId: string): Promise<PublicationState | null> {
  const rows = await sql.query<PublicationState>(
    `SELECT d."generation", c."generation" AS "currentGeneration", c."publishedAt" AS "currentDate",
            c."createdAt" AS "currentMadeAt",
            (SELECT "updatedAt" ${PENDING_CHANGES} ORDER BY "updatedAt" DESC LIMIT 1) AS "newestChange",
            (SELECT "updatedAt" ${PENDING_CHANGES} ORDER BY "updatedAt" DESC OFFSET 1 LIMIT 1) AS "previousChange",
            (SELECT MIN("updatedAt") ${PENDING_CHANGES}) AS "oldestChange"
       FROM "Distribution" d LEFT JOIN "Publication" c ON c."id" = d."currentPublicationId"
      WHERE d."id" = $1`,
    [distributionId],
  );
  return rows[0] ?? null;
}

/** Why a publication is not to be made now: nothing new to publish, a request older than the
 * distribution's generation, or too early (with the time to come back); undefined when it is due. */
function whyNotNow(state: PublicationState | null, opts: PublishOptions): PublishResult | undefined {
  if (!state) return { skipped: true };
  if (state.currentGeneration !== null && state.currentGeneration >= state.generation)
    return { skipped: true };
  if (opts.generation !== undefined && opts.generation < state.generation) return { skipped: true };
  const time = (d: Date | null) => (d ? new Date(d).getTime() : undefined);
  const now = Date.now();
  const notBefore = scheduleNextPublication(
    {
      now,
      currentDate: time(state.currentDate),
      currentMadeAt: time(state.currentMadeAt),
      ...(opts.timing
        ? {
            newestChange: time(state.newestChange),
            previousChange: time(state.previousChange),
            oldestChange: time(state.oldestChange),
          }
        : {}),
    },
    opts.timing,
  );
  return notBefore > now ? { skipped: true, notBefore: new Date(notBefore) } : undefined;
}
