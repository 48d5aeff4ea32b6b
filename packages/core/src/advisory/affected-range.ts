// Decides whether a version falls in an OSV `affected[]` entry: its explicit `versions`, or an ECOSYSTEM
// range of introduced / fixed / last_affected events evaluated in the ecosystem's own version order
// (OSV schema, "Evaluation": events sorted by version, the last one at or below the version decides).

import type { VersionOrder } from './ecosystem';
import type { RangeEvent } from './osv-record';

export interface RangeVerdict {
  affected: boolean;
  /** the fix of the range that holds the version, when the range has one */
  fixedVersion?: string;
}

interface Point {
  kind: 'introduced' | 'fixed' | 'last_affected';
  version: string;
}

function pointsOf(events: RangeEvent[]): Point[] {
  const points: Point[] = [];
  for (const e of events) {
    if (e.introduced !== undefined) points.push({ kind: 'introduced', version: e.introduced });
    if (e.fixed !== undefined) points.push({ kind: 'fixed', version: e.fixed });
    if (e.last_affected !== undefined) points.push({ kind: 'last_affected', version: e.last_affected });
  }
  return points;
}

function rangeVerdict(version: string, events: RangeEvent[], order: VersionOrder): RangeVerdict {
  // "0" is before every version; sorting puts it first.
  const cmp = (a: string, b: string) => (a === b ? 0 : a === '0' ? -1 : b === '0' ? 1 : order(a, b));
  const points = pointsOf(events).sort((a, b) => cmp(a.version, b.version));
  let affected = false;
  for (const p of points) {
    if (p.kind === 'introduced' && cmp(version, p.version) >= 0) affected = true;
    else if (p.kind === 'fixed' && cmp(version, p.version) >= 0) affected = false;
    else if (p.kind === 'last_affected' && cmp(version, p.version) > 0) affected = false;
  }
  if (!affected) return { affected: false };
  const fix = points.find((p) => p.kind === 'fixed' && cmp(version, p.version) < 0);
  return fix ? { affected: true, fixedVersion: fix.version } : { affected: true };
}

/** Whether `version` is affected by one `affected[]` entry, and the version that fixes it. */
export function evaluateAffected(
  version: string,
  entry: { ranges: RangeEvent[][]; versions: string[] },
  order: VersionOrder,
): RangeVerdict {
  let listed = false;
  for (const v of entry.versions) {
    if (order(version, v) === 0) listed = true;
  }
  for (const events of entry.ranges) {
    const verdict = rangeVerdict(version, events, order);
    if (verdict.affected) return verdict;
  }
  return { affected: listed };
}
