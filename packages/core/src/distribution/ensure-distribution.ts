// Distributions are created on first upload, the way hosted repositories do it. Concurrent first
// uploads must not collide: creation is an insert-or-nothing, and a new component is appended atomically.
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
  const where = { repositoryId_format_name: { repositoryId, format: dbFormat, name: dist.name } } as const;
  let existing = await tx.distribution.findUnique({ where });
  if (!existing) {
    // ON CONFLICT DO NOTHING: a unique violation would abort the surrounding transaction.
    await tx.distribution.createMany({
      data: [
        {
          repositoryId,
          format: dbFormat,
          name: dist.name,
          distro: dist.distro,
          release: dist.release,
          components: component ? [component] : [],
          architectures: format === 'deb' ? DEFAULT_DEB_ARCHITECTURES : [],
        },
      ],
      skipDuplicates: true,
    });
    existing = await tx.distribution.findUniqueOrThrow({ where });
  }
  if (component && !existing.components.includes(component)) {
    await tx.$executeRaw`UPDATE "Distribution" SET "components" = array_append("components", ${component})
      WHERE "id" = ${existing.id} AND NOT (${component} = ANY("components"))`;
    existing = await tx.distribution.findUniqueOrThrow({ where });
  }
  return existing;
}
