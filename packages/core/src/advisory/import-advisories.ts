// Loads OSV records into PostgreSQL incrementally: a record is written only when its `modified` is newer
// than the stored one, so re-importing a whole feed touches only what changed. Packages named by changed
// advisories are scanned again afterwards (rescan-packages.ts).
import type { CoreContext } from '../context/core-context';
import { InvalidOsvRecord, type OsvAdvisory, parseOsvRecord } from './osv-record';
import { readOsvSource } from './read-osv-source';

export interface AdvisoryImportResult {
  source: string;
  /** records read */
  read: number;
  /** new or changed advisories written */
  imported: number;
  /** records whose `modified` is not newer than the stored advisory */
  unchanged: number;
  /** records about no distribution Pallet hosts */
  skipped: number;
  /** unreadable records (each logged) */
  invalid: number;
  /** package names the written advisories are about */
  packageNames: string[];
  /** ids of the written advisories */
  advisoryIds: string[];
}

const BATCH = 200;

const SEVERITY_ENUM = {
  unknown: 'UNKNOWN',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
} as const;

async function writeBatch(ctx: CoreContext, batch: { advisory: OsvAdvisory; origin: string }[]) {
  const ids = batch.map((b) => b.advisory.id);
  const stored = await ctx.db.advisory.findMany({
    where: { id: { in: ids } },
    select: { id: true, modified: true },
  });
  const modifiedOf = new Map(stored.map((s) => [s.id, s.modified.getTime()]));
  // Within one source the last copy of an id wins, as a later file would overwrite an earlier one.
  const newest = new Map<string, { advisory: OsvAdvisory; origin: string }>();
  for (const b of batch) {
    const prev = newest.get(b.advisory.id);
    if (!prev || prev.advisory.modified <= b.advisory.modified) newest.set(b.advisory.id, b);
  }
  const changed = [...newest.values()].filter((b) => {
    const known = modifiedOf.get(b.advisory.id);
    return known === undefined || b.advisory.modified.getTime() > known;
  });
  if (changed.length > 0) {
    await ctx.db.$transaction(async (tx) => {
      await tx.advisoryPackage.deleteMany({
        where: { advisoryId: { in: changed.map((c) => c.advisory.id) } },
      });
      for (const { advisory: a, origin } of changed) {
        const data = {
          modified: a.modified,
          published: a.published,
          withdrawn: a.withdrawn,
          aliases: a.aliases,
          summary: a.summary,
          severity: SEVERITY_ENUM[a.severity],
          source: origin.slice(0, 1000),
          importedAt: new Date(),
        };
        await tx.advisory.upsert({ where: { id: a.id }, create: { id: a.id, ...data }, update: data });
      }
      await tx.advisoryPackage.createMany({
        data: changed.flatMap(({ advisory: a }) =>
          a.affected.map((p) => ({
            advisoryId: a.id,
            ecosystem: p.ecosystem,
            name: p.name,
            ranges: p.ranges as unknown as object,
            versions: p.versions,
          })),
        ),
      });
    });
  }
  return { changed: changed.map((c) => c.advisory), unchanged: batch.length - changed.length };
}

/** Imports every record of a zip, directory or URL; returns counts and the package names to rescan. */
export async function importAdvisories(ctx: CoreContext, source: string): Promise<AdvisoryImportResult> {
  const result: AdvisoryImportResult = {
    source,
    read: 0,
    imported: 0,
    unchanged: 0,
    skipped: 0,
    invalid: 0,
    packageNames: [],
    advisoryIds: [],
  };
  const names = new Set<string>();
  let batch: { advisory: OsvAdvisory; origin: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { changed, unchanged } = await writeBatch(ctx, batch);
    result.imported += changed.length;
    result.unchanged += unchanged;
    for (const a of changed) {
      result.advisoryIds.push(a.id);
      for (const p of a.affected) names.add(p.name);
    }
    batch = [];
  };
  for await (const file of readOsvSource(source)) {
    result.read++;
    let advisory: OsvAdvisory | undefined;
    try {
      advisory = parseOsvRecord(file.text);
    } catch (err) {
      if (!(err instanceof InvalidOsvRecord)) throw err;
      result.invalid++;
      ctx.log.warn({ origin: file.origin, reason: err.message }, 'skipping an invalid OSV record');
      continue;
    }
    if (!advisory) {
      result.skipped++;
      continue;
    }
    batch.push({ advisory, origin: file.origin });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  result.packageNames = [...names].sort();
  return result;
}
