// The advisories that affect one package version: a query on the package's (and its source package's) name
// in the ecosystems of its distribution, then each ECOSYSTEM range evaluated in that ecosystem's order.
// The upload policy runs this during the upload request; the scan job runs it for stored packages.
import type { Tx } from '@pallet/db';
import { evaluateAffected } from './affected-range';
import { ecosystemsForDistribution, versionOrderFor } from './ecosystem';
import type { RangeEvent } from './osv-record';
import type { SeverityName } from './severity';

export interface PackageIdentity {
  distro: string;
  release: string;
  name: string;
  version: string;
  sourceName: string | null;
  sourceVersion: string | null;
}

export interface AdvisoryMatch {
  advisoryId: string;
  aliases: string[];
  summary: string;
  severity: SeverityName;
  fixedVersion: string | null;
}

export async function findAdvisoryMatches(db: Tx, pkg: PackageIdentity): Promise<AdvisoryMatch[]> {
  const eco = ecosystemsForDistribution(pkg.distro, pkg.release);
  if (eco.exact.length === 0 && eco.prefixes.length === 0) return [];
  const names = [...new Set([pkg.name, ...(pkg.sourceName ? [pkg.sourceName] : [])])];
  const entries = await db.advisoryPackage.findMany({
    where: {
      name: { in: names },
      OR: [{ ecosystem: { in: eco.exact } }, ...eco.prefixes.map((p) => ({ ecosystem: { startsWith: p } }))],
      advisory: { withdrawn: null },
    },
    include: { advisory: true },
    orderBy: { advisoryId: 'asc' },
  });
  const matches = new Map<string, AdvisoryMatch>();
  for (const e of entries) {
    if (matches.has(e.advisoryId)) continue;
    // An advisory about the source package speaks of the source's version (deb `Source: name (version)`).
    const version = e.name === pkg.name ? pkg.version : (pkg.sourceVersion ?? pkg.version);
    const verdict = evaluateAffected(
      version,
      { ranges: e.ranges as unknown as RangeEvent[][], versions: e.versions },
      versionOrderFor(e.ecosystem),
    );
    if (!verdict.affected) continue;
    matches.set(e.advisoryId, {
      advisoryId: e.advisoryId,
      aliases: e.advisory.aliases,
      summary: e.advisory.summary,
      severity: e.advisory.severity.toLowerCase() as SeverityName,
      fixedVersion: verdict.fixedVersion ?? null,
    });
  }
  return [...matches.values()];
}
