// Resolves `distro/release` within a repository. `any/any` may exist once per format; `format` picks one.
import type { Distribution, Tx } from '@pallet/db';
import { NotFound } from '../errors/domain-errors';
import { parseDistributionName } from './distribution-name';

export async function findDistribution(
  db: Pick<Tx, 'distribution'>,
  repositoryId: string,
  name: string,
  format?: 'deb' | 'rpm',
): Promise<Distribution> {
  const parsed = parseDistributionName(name);
  const found = await db.distribution.findFirst({
    where: {
      repositoryId,
      name: parsed.name,
      ...(format ? { format: format === 'deb' ? 'DEB' : 'RPM' } : {}),
    },
    orderBy: { format: 'asc' },
  });
  if (!found) throw new NotFound('distribution');
  return found;
}
