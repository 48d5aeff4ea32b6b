// POST /api/v1/orgs/{org}/repos/{repo}/packages/{id}/release: publish a quarantined package.
import { releasePackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readOptionalJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; id: string };

export const POST = route<P>(async (request, { org, repo, id }, core) => {
  const actor = await requireActor(request);
  // No input; a body that is sent anyway is checked like any JSON body.
  await readOptionalJson(request);
  return json(await releasePackage(core, actor, org, repo, id));
});
