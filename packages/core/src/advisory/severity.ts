// One severity scale for advisories whose sources rate in different ways: CVSS vectors (OSV `severity[]`),
// distribution ratings (Ubuntu priorities, Debian urgencies, SUSE/Red Hat "important"), and the Red Hat
// style "Important: ..." summaries of AlmaLinux and Rocky Linux advisories.

export const SEVERITIES = ['unknown', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

export function severityRank(s: SeverityName): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(a: SeverityName, b: SeverityName): SeverityName {
  return severityRank(a) >= severityRank(b) ? a : b;
}

const WORDS: Record<string, SeverityName> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
};

/** A rating word (`Important`, `MODERATE`, `negligible`) on the common scale; unknown words give undefined. */
export function severityFromWord(word: string): SeverityName | undefined {
  return WORDS[word.trim().toLowerCase()];
}

/** The CVSS v3 qualitative rating of a base score (CVSS v3.1 specification, table 14). */
export function severityFromScore(score: number): SeverityName {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'unknown';
}

const V3_WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

function roundUp(value: number): number {
  // CVSS v3.1 Appendix A: Roundup avoids floating point artefacts by working in integers.
  const int = Math.round(value * 100000);
  return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
}

/** The base score of a CVSS v3.0/v3.1 vector (`CVSS:3.1/AV:N/AC:L/...`), or undefined when it is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = new Map<string, string>();
  for (const part of vector.split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) m.set(k, v);
  }
  const av = V3_WEIGHTS.AV[m.get('AV') as keyof typeof V3_WEIGHTS.AV];
  const ac = V3_WEIGHTS.AC[m.get('AC') as keyof typeof V3_WEIGHTS.AC];
  const ui = V3_WEIGHTS.UI[m.get('UI') as keyof typeof V3_WEIGHTS.UI];
  const scope = m.get('S');
  const c = V3_WEIGHTS.CIA[m.get('C') as keyof typeof V3_WEIGHTS.CIA];
  const i = V3_WEIGHTS.CIA[m.get('I') as keyof typeof V3_WEIGHTS.CIA];
  const a = V3_WEIGHTS.CIA[m.get('A') as keyof typeof V3_WEIGHTS.CIA];
  const prText = m.get('PR');
  if ([av, ac, ui, c, i, a].some((x) => x === undefined) || (scope !== 'U' && scope !== 'C'))
    return undefined;
  const changed = scope === 'C';
  const pr =
    prText === 'N'
      ? 0.85
      : prText === 'L'
        ? changed
          ? 0.68
          : 0.62
        : prText === 'H'
          ? changed
            ? 0.5
            : 0.27
          : -1;
  if (pr < 0) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr * ui!;
  if (impact <= 0) return 0;
  return changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
}
