// The advisories that affect one package version: a query on the package's (and its source package's) name
// in the ecosystems of its distribution, then each ECOSYSTEM range evaluated in that ecosystem's order.
// The upload policy runs this during the upload request; the scan job runs it for stored packages.
import { asRawSql, Prisma, queryRows, type RawSql, type Severity, type Tx } from '@pallet/db';
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

/** LIKE's own characters in a prefix taken literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Takes a Prisma client or transaction, or a plain one (the upload's policy check runs on plain pg). */
export async function findAdvisoryMatches(db: Tx | RawSql, pkg: PackageIdentity): Promise<AdvisoryMatch[]> {
  const eco = ecosystemsForDistribution(pkg.distro, pkg.release);
  if (eco.exact.length === 0 && eco.prefixes.length === 0) return [];
  const names = [...new Set([pkg.name, ...(pkg.sourceName ? [pkg.sourceName] : [])])];
  const entries = await queryRows<{
    advisoryId: string;
    ecosystem: string;
    name: string;
    ranges: unknown;
    versions: string[];
    aliases: string[];
    summary: string;
    severity: Severity;
  }>(
    asRawSql(db),
    Prisma.sql`SELECT ap."advisoryId", ap."ecosystem", ap."name", ap."ranges", ap."versions",
        a."aliases", a."summary", a."severity"::text AS "severity"
      FROM "AdvisoryPackage" ap JOIN "Advisory" a ON a."id" = ap."advisoryId"
      WHERE ap."name" = ANY(${names}::text[]) AND a."withdrawn" IS NULL
        AND (ap."ecosystem" = ANY(${eco.exact}::text[]) OR ap."ecosystem" LIKE ANY(${eco.prefixes.map(likePrefix)}::text[]))
      ORDER BY ap."advisoryId", ap."id"`,
  );
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
      aliases: e.aliases,
      summary: e.summary,
      severity: e.severity.toLowerCase() as SeverityName,
      fixedVersion: verdict.fixedVersion ?? null,
    });
  }
  return [...matches.values()];
}
