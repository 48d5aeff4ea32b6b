// The API shape of a distribution: its name, format, life-cycle settings and what it currently serves.
import type { Distribution } from '@pallet/db';

export interface RetentionPolicy {
  keepVersions: number;
  maxAgeDays: number | null;
}

export interface DistributionView {
  name: string;
  format: 'deb' | 'rpm';
  frozen: boolean;
  frozenAt: string | null;
  retention: RetentionPolicy | null;
  validDays: number | null;
  packageCount: number;
  currentPublicationId: string | null;
}

export function retentionOf(d: Pick<Distribution, 'retentionKeepVersions' | 'retentionMaxAgeDays'>) {
  return d.retentionKeepVersions
    ? { keepVersions: d.retentionKeepVersions, maxAgeDays: d.retentionMaxAgeDays }
    : null;
}

export function toDistributionView(d: Distribution, packageCount: number): DistributionView {
  return {
    name: d.name,
    format: d.format === 'DEB' ? 'deb' : 'rpm',
    frozen: d.frozen,
    frozenAt: d.frozenAt?.toISOString() ?? null,
    retention: retentionOf(d),
    validDays: d.validDays,
    packageCount,
    currentPublicationId: d.currentPublicationId,
  };
}
