// Which package versions a distribution's retention policy drops: per name and architecture, the newest
// `keepVersions` versions (in the format's version order: dpkg for .debs, rpmvercmp for .rpms) are kept,
// and with `maxAgeDays` only those of them uploaded within that many days. The newest version of each
// name+architecture is always kept, so a policy never removes the only version of a package.
import { compareDebVersions } from '@pallet/deb';
import { compareEvr } from '@pallet/rpm';

export interface RetentionRow {
  id: string;
  name: string;
  architecture: string;
  version: string;
  createdAt: Date;
}

export interface RetentionRule {
  keepVersions: number;
  maxAgeDays: number | null;
}

function rpmEvr(version: string) {
  const colon = version.indexOf(':');
  const epoch = colon > 0 ? version.slice(0, colon) : undefined;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  return dash > 0
    ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
    : { epoch, version: rest, release: '' };
}

export function compareVersions(format: 'DEB' | 'RPM', a: string, b: string): number {
  if (format === 'DEB') {
    try {
      return compareDebVersions(a, b);
    } catch {
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
  return compareEvr(rpmEvr(a), rpmEvr(b));
}

/** The rows the rule removes, newest first within each name+architecture. */
export function planRetention<R extends RetentionRow>(
  format: 'DEB' | 'RPM',
  rows: R[],
  rule: RetentionRule,
  now: Date,
): R[] {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const key = `${r.name}\u0000${r.architecture}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const cutoff = rule.maxAgeDays ? now.getTime() - rule.maxAgeDays * 86_400_000 : null;
  const removed: R[] = [];
  for (const group of groups.values()) {
    group.sort(
      (a, b) =>
        compareVersions(format, b.version, a.version) || b.createdAt.getTime() - a.createdAt.getTime(),
    );
    group.forEach((r, rank) => {
      if (rank === 0) return;
      if (rank >= rule.keepVersions || (cutoff !== null && r.createdAt.getTime() < cutoff)) removed.push(r);
    });
  }
  return removed;
}
