// Valid-Until upkeep: a distribution with `validDays` carries `Valid-Until: Date + validDays` in its Release
// files, and the worker's repeating `validUntil` job republishes (re-signs) it once less than a third of
// that validity remains, so the live repository never lapses while a frozen copy (a stale mirror, a
// replaying proxy) is refused by apt after at most validDays. rpm repositories have no such field.
import type { Config } from '@pallet/config';
import type { CoreContext } from '../context/core-context';
import { requestPublication } from './request-publication';

/** The Valid-Until of a Release dated `date`: the distribution's validDays, else the instance default. */
export function validUntilFor(config: Config, validDays: number | null, date: Date): Date | undefined {
  const seconds = validDays ? validDays * config.validUntilUnitSeconds : config.releaseValidSeconds;
  return seconds ? new Date(date.getTime() + seconds * 1000) : undefined;
}

export async function refreshValidUntil(
  ctx: CoreContext,
  now: Date = new Date(),
): Promise<{ republished: string[] }> {
  const dists = await ctx.db.distribution.findMany({
    where: {
      format: 'DEB',
      currentPublicationId: { not: null },
      // With an instance-wide PALLET_RELEASE_VALID_DAYS every deb distribution carries a Valid-Until.
      ...(ctx.config.releaseValidSeconds ? {} : { validDays: { not: null } }),
    },
    include: { currentPublication: true, repository: { include: { org: true } } },
  });
  const republished: string[] = [];
  for (const dist of dists) {
    const publishedAt = dist.currentPublication?.publishedAt;
    const validUntil = publishedAt ? validUntilFor(ctx.config, dist.validDays, publishedAt) : undefined;
    if (!publishedAt || !validUntil) continue;
    const renewAt = validUntil.getTime() - (validUntil.getTime() - publishedAt.getTime()) / 3;
    if (now.getTime() < renewAt) continue;
    // A generation not yet published is already on its way: ask for it again rather than bumping.
    let generation = dist.generation;
    if ((dist.currentPublication?.generation ?? -1) >= dist.generation) {
      const bumped = await ctx.db.distribution.update({
        where: { id: dist.id },
        data: { generation: { increment: 1 } },
      });
      generation = bumped.generation;
    }
    await requestPublication(ctx, dist.id, generation);
    republished.push(`${dist.repository.org.slug}/${dist.repository.slug} ${dist.name}`);
  }
  if (republished.length) ctx.log.info({ republished }, 're-signing distributions before their Valid-Until');
  return { republished };
}
