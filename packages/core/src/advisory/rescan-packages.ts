// Re-evaluates every stored package an advisory change may concern: those named, or built from a source
// package named, by the changed advisories, and those that had a finding of a changed advisory.
import type { CoreContext } from '../context/core-context';
import { scanPackage } from './scan-package';

const CHUNK = 500;

export async function rescanAfterAdvisoryChange(
  ctx: CoreContext,
  changed: { packageNames: string[]; advisoryIds: string[] },
): Promise<{ scanned: number; flagged: number }> {
  const ids = new Set<string>();
  const { packageNames: names, advisoryIds } = changed;
  for (let i = 0; i < Math.max(names.length, advisoryIds.length); i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    const advisories = advisoryIds.slice(i, i + CHUNK);
    const pkgs = await ctx.db.package.findMany({
      where: {
        status: { notIn: ['DELETING', 'REMOVED'] },
        OR: [
          { name: { in: chunk } },
          { sourceName: { in: chunk } },
          { findings: { some: { advisoryId: { in: advisories } } } },
        ],
      },
      select: { id: true },
    });
    for (const p of pkgs) ids.add(p.id);
  }
  let flagged = 0;
  for (const id of ids) {
    const r = await scanPackage(ctx, id);
    if (r.added.length > 0) flagged++;
  }
  return { scanned: ids.size, flagged };
}
