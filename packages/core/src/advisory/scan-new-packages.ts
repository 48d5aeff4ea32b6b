// The scan of a batch of freshly ingested packages. Two statements for the whole batch find the packages
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
  const sql = rawSql(ctx.db);
  const [advised, withFindings] = await Promise.all([
    sql.query<{ name: string }>(
      `SELECT DISTINCT "name" FROM "AdvisoryPackage" WHERE "name" = ANY($1::text[])`,
      [names],
    ),
    sql.query<{ packageId: string }>(
      `SELECT DISTINCT "packageId" FROM "Finding" WHERE "packageId" = ANY($1::text[])`,
      [pkgs.map((p) => p.id)],
    ),
  ]);
  const advisedNames = new Set(advised.map((r) => r.name));
  const found = new Set(withFindings.map((r) => r.packageId));
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
