// The scan of a batch of freshly ingested packages. One statement for the whole batch finds the packages
// the scan can change anything for: those with a stored advisory under their (or their source's) name,
// and those with findings already (an overwrite keeps the row). Only these go through scanPackage; for
// the rest scanPackage would find no match and no finding, and change nothing. A package whose scan fails
// is left to a scan job of its own (retried without preparing the package again).
import { rawSql } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { scanPackage } from './scan-package';

export async function scanNewPackages(
  ctx: CoreContext,
  pkgs: { id: string; name: string; sourceName: string | null }[],
): Promise<void> {
  if (pkgs.length === 0) return;
  const names = [...new Set(pkgs.flatMap((p) => (p.sourceName ? [p.name, p.sourceName] : [p.name])))];
  // The advised names and the packages with findings, told apart by `advised`.
  const rows = await rawSql(ctx.db).query<{ advised: boolean; key: string }>(
    `SELECT DISTINCT true AS "advised", "name" AS "key" FROM "AdvisoryPackage" WHERE "name" = ANY($1::text[])
     UNION ALL
     SELECT DISTINCT false, "packageId" FROM "Finding" WHERE "packageId" = ANY($2::text[])`,
    [names, pkgs.map((p) => p.id)],
  );
  const advisedNames = new Set(rows.filter((r) => r.advised).map((r) => r.key));
  const found = new Set(rows.filter((r) => !r.advised).map((r) => r.key));
  for (const pkg of pkgs) {
    const mayChange =
      found.has(pkg.id) ||
      advisedNames.has(pkg.name) ||
      (pkg.sourceName !== null && advisedNames.has(pkg.sourceName));
    if (!mayChange) continue;
    try {
      await scanPackage(ctx, pkg.id);
    } catch (err) {
      ctx.log.warn({ packageId: pkg.id, err: (err as Error).message }, 'scan failed; retrying it alone');
      await ctx.queues.enqueueScan({ kind: 'package', packageId: pkg.id });
    }
  }
}
