// POST /api/v1/orgs/{org}/repos/{repo}/packages/copy  {query: {distribution, name?, version?, architecture?}, repo?, distribution, component?}
import { copyPackages } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; repo: string }>(async (request, { org, repo }, core) => {
  const actor = await requireActor(request);
  return json(await copyPackages(core, actor, org, repo, await readJson(request), 'copy'), 202);
});
