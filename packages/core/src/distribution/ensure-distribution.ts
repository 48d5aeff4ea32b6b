// Distributions are created on first upload, the way hosted repositories do it.
import type { Distribution, Tx } from '@pallet/db';
import type { DistributionName, Format } from './distribution-name';

export const DEFAULT_DEB_ARCHITECTURES = ['amd64', 'arm64'];

export async function ensureDistribution(
  tx: Tx,
  repositoryId: string,
  format: Format,
  dist: DistributionName,
  component: string | null,
): Promise<Distribution> {
  const dbFormat = format === 'deb' ? 'DEB' : 'RPM';
  const existing = await tx.distribution.findUnique({
    where: { repositoryId_format_name: { repositoryId, format: dbFormat, name: dist.name } },
  });
  if (existing) {
    if (component && !existing.components.includes(component)) {
      return tx.distribution.update({
        where: { id: existing.id },
        data: { components: [...existing.components, component].sort() },
      });
    }
    return existing;
  }
  return tx.distribution.upsert({
    where: { repositoryId_format_name: { repositoryId, format: dbFormat, name: dist.name } },
    update: {},
    create: {
      repositoryId,
      format: dbFormat,
      name: dist.name,
      distro: dist.distro,
      release: dist.release,
      components: component ? [component] : [],
      architectures: format === 'deb' ? DEFAULT_DEB_ARCHITECTURES : [],
    },
  });
}
