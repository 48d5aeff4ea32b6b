// Keeps one package's findings current: matches it against the stored advisories, adds and removes
// Finding rows, and audits (and announces) vulnerabilities that were not known for it before.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { CoreContext } from '../context/core-context';
import { findAdvisoryMatches } from './find-advisory-matches';
import { notifyVulnerabilityFound } from './notify-vulnerability-found';

export interface ScanResult {
  added: string[];
  removed: string[];
}

export async function scanPackage(ctx: CoreContext, packageId: string): Promise<ScanResult> {
  const pkg = await ctx.db.package.findUnique({
    where: { id: packageId },
    include: { distribution: true, repository: true },
  });
  if (!pkg || pkg.status === 'DELETING' || pkg.status === 'REMOVED') return { added: [], removed: [] };
  const matches = await findAdvisoryMatches(ctx.db, {
    distro: pkg.distribution.distro,
    release: pkg.distribution.release,
    name: pkg.name,
    version: pkg.version,
    sourceName: pkg.sourceName,
    sourceVersion: pkg.sourceVersion,
  });
  return ctx.db.$transaction(async (tx) => {
    // Scans of one package take turns, so two jobs never both count the same finding as new.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(4202::int4, hashtext(${pkg.id}))`;
    const existing = await tx.finding.findMany({ where: { packageId: pkg.id } });
    const known = new Map(existing.map((f) => [f.advisoryId, f]));
    const wanted = new Map(matches.map((m) => [m.advisoryId, m]));
    const added = matches.filter((m) => !known.has(m.advisoryId));
    const removed = existing.filter((f) => !wanted.has(f.advisoryId)).map((f) => f.advisoryId);
    if (removed.length > 0) {
      await tx.finding.deleteMany({ where: { packageId: pkg.id, advisoryId: { in: removed } } });
    }
    for (const m of matches) {
      const before = known.get(m.advisoryId);
      if (before && before.fixedVersion !== m.fixedVersion) {
        await tx.finding.update({
          where: { packageId_advisoryId: { packageId: pkg.id, advisoryId: m.advisoryId } },
          data: { fixedVersion: m.fixedVersion },
        });
      }
    }
    if (added.length > 0) {
      await tx.finding.createMany({
        data: added.map((m) => ({
          packageId: pkg.id,
          advisoryId: m.advisoryId,
          fixedVersion: m.fixedVersion,
        })),
      });
    }
    const target = `package ${pkg.name} ${pkg.version} ${pkg.architecture}`;
    const details = { repository: pkg.repository.slug, distribution: pkg.distribution.name };
    if (added.length > 0) {
      const advisories = added.map((m) => ({
        id: m.advisoryId,
        severity: m.severity,
        fixedVersion: m.fixedVersion,
      }));
      await recordAuditEvent(tx, {
        orgId: pkg.repository.orgId,
        actor: { kind: 'system' },
        action: 'vulnerability.found',
        target,
        targetId: pkg.id,
        details: { ...details, advisories },
      });
      await notifyVulnerabilityFound(tx, {
        orgId: pkg.repository.orgId,
        repository: pkg.repository.slug,
        distribution: pkg.distribution.name,
        package: pkg,
        advisories: added.map((m) => ({
          id: m.advisoryId,
          aliases: m.aliases,
          severity: m.severity,
          fixedVersion: m.fixedVersion,
        })),
      });
    }
    if (removed.length > 0) {
      await recordAuditEvent(tx, {
        orgId: pkg.repository.orgId,
        actor: { kind: 'system' },
        action: 'vulnerability.resolved',
        target,
        targetId: pkg.id,
        details: { ...details, advisories: removed },
      });
    }
    return { added: added.map((m) => m.advisoryId), removed };
  });
}
