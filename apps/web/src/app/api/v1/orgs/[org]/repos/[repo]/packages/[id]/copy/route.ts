// POST /api/v1/orgs/{org}/repos/{repo}/packages/{id}/copy  {repo?, distribution, component?}
import { copyPackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; repo: string; id: string }>(
  async (request, { org, repo, id }, core) => {
    const actor = await requireActor(request);
    const result = await copyPackage(core, actor, org, repo, id, await readJson(request), 'copy');
    return json(result.package, result.created ? 202 : 200);
  },
);
