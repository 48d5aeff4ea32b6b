// Reads one OSV record (https://ossf.github.io/osv-schema/) into what Pallet keeps: id, dates, aliases, one
// severity, and the `affected[]` entries of the distributions Pallet hosts with their ECOSYSTEM ranges.
import { z } from 'zod';
import {
  cvss3BaseScore,
  maxSeverity,
  type SeverityName,
  severityFromScore,
  severityFromWord,
} from './severity';

/** Ecosystem families whose packages Pallet serves (OSV ecosystem names, before the `:` release). */
const HOSTED_FAMILIES = ['Debian', 'Ubuntu', 'AlmaLinux', 'Rocky Linux', 'Red Hat', 'openSUSE', 'SUSE'];

export function isHostedEcosystem(ecosystem: string): boolean {
  const family = ecosystem.split(':')[0] ?? '';
  return HOSTED_FAMILIES.includes(family);
}

export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}

export interface AffectedPackage {
  ecosystem: string;
  name: string;
  /** each ECOSYSTEM range's events, as the record lists them */
  ranges: RangeEvent[][];
  versions: string[];
}

export interface OsvAdvisory {
  id: string;
  modified: Date;
  published: Date | null;
  withdrawn: Date | null;
  aliases: string[];
  summary: string;
  severity: SeverityName;
  affected: AffectedPackage[];
}

const rating = z.object({ type: z.string(), score: z.string() });
const specific = z.record(z.string(), z.unknown()).optional();
const event = z
  .object({ introduced: z.string(), fixed: z.string(), last_affected: z.string(), limit: z.string() })
  .partial();
const recordSchema = z.object({
  id: z.string().min(1).max(200),
  modified: z.iso.datetime({ offset: true }),
  published: z.iso.datetime({ offset: true }).optional(),
  withdrawn: z.iso.datetime({ offset: true }).optional(),
  aliases: z.array(z.string()).optional(),
  upstream: z.array(z.string()).optional(),
  related: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(rating).optional(),
  database_specific: specific,
  affected: z
    .array(
      z.object({
        package: z
          .object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() })
          .optional(),
        severity: z.array(rating).optional(),
        ranges: z.array(z.object({ type: z.string(), events: z.array(event) })).optional(),
        versions: z.array(z.string()).optional(),
        ecosystem_specific: specific,
        database_specific: specific,
      }),
    )
    .optional(),
});
type OsvJson = z.infer<typeof recordSchema>;

export class InvalidOsvRecord extends Error {}

function wordIn(block: Record<string, unknown> | undefined): SeverityName | undefined {
  for (const key of ['severity', 'urgency']) {
    const value = block?.[key];
    if (typeof value === 'string') {
      const s = severityFromWord(value);
      if (s) return s;
    }
  }
  return undefined;
}

/**
 * The distribution's own rating when the record carries one (Ubuntu priority, Debian urgency, SUSE or
 * Red Hat rating, an "Important:" summary), else the highest CVSS v3 base score; otherwise unknown.
 */
function severityOf(rec: OsvJson): SeverityName {
  let distro: SeverityName | undefined;
  let cvss: SeverityName = 'unknown';
  const note = (s: SeverityName | undefined) => {
    if (s) distro = distro ? maxSeverity(distro, s) : s;
  };
  const ratings = [...(rec.severity ?? []), ...(rec.affected ?? []).flatMap((a) => a.severity ?? [])];
  for (const r of ratings) {
    if (r.type === 'CVSS_V3') {
      const score = cvss3BaseScore(r.score);
      if (score !== undefined) cvss = maxSeverity(cvss, severityFromScore(score));
    } else if (!r.type.startsWith('CVSS')) {
      note(severityFromWord(r.score));
    }
  }
  note(wordIn(rec.database_specific));
  for (const a of rec.affected ?? []) {
    note(wordIn(a.ecosystem_specific));
    note(wordIn(a.database_specific));
  }
  const prefix = /^(Critical|Important|Moderate|Low):/.exec(rec.summary ?? '');
  if (prefix?.[1]) note(severityFromWord(prefix[1]));
  return distro ?? cvss;
}

/** Parses one record; undefined when it names no package of a hosted distribution. */
export function parseOsvRecord(text: string): OsvAdvisory | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidOsvRecord('not JSON');
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidOsvRecord(`${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`);
  }
  const rec = parsed.data;
  const affected: AffectedPackage[] = [];
  for (const a of rec.affected ?? []) {
    if (!a.package || !isHostedEcosystem(a.package.ecosystem)) continue;
    const ranges = (a.ranges ?? [])
      .filter((r) => r.type === 'ECOSYSTEM')
      .map((r) =>
        r.events
          .map((e) => {
            const out: RangeEvent = {};
            if (e.introduced !== undefined) out.introduced = e.introduced;
            if (e.fixed !== undefined) out.fixed = e.fixed;
            if (e.last_affected !== undefined) out.last_affected = e.last_affected;
            return out;
          })
          .filter((e) => Object.keys(e).length > 0),
      );
    affected.push({
      ecosystem: a.package.ecosystem,
      name: a.package.name,
      ranges,
      versions: a.versions ?? [],
    });
  }
  if (affected.length === 0) return undefined;
  const aliases = [
    ...new Set([...(rec.aliases ?? []), ...(rec.upstream ?? []), ...(rec.related ?? [])]),
  ].filter((a) => a !== rec.id);
  const firstLine = (rec.details ?? '').split('\n')[0] ?? '';
  return {
    id: rec.id,
    modified: new Date(rec.modified),
    published: rec.published ? new Date(rec.published) : null,
    withdrawn: rec.withdrawn ? new Date(rec.withdrawn) : null,
    aliases,
    summary: (rec.summary || firstLine).slice(0, 500),
    severity: severityOf(rec),
    affected,
  };
}
