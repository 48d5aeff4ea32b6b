// PATCH /api/v1/orgs/{org}/repos/{repo}/distributions/{distro}/{release}[?format=deb|rpm]
import { InvalidRequest, updateDistribution } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

type P = { org: string; repo: string; distro: string; release: string };

export const PATCH = route<P>(async (request, { org, repo, distro, release }, core) => {
  const actor = await requireActor(request);
  const raw = searchParams(request).format;
  if (raw !== undefined && raw !== 'deb' && raw !== 'rpm')
    throw new InvalidRequest('format must be "deb" or "rpm".');
  const format = raw as 'deb' | 'rpm' | undefined;
  return json(
    await updateDistribution(core, actor, org, repo, `${distro}/${release}`, await readJson(request), {
      format,
    }),
  );
});
