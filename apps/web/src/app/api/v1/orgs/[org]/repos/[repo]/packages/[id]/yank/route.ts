// POST /api/v1/orgs/{org}/repos/{repo}/packages/{id}/yank
import { yankPackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readOptionalJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; repo: string; id: string }>(
  async (request, { org, repo, id }, core) => {
    const actor = await requireActor(request);
    // No input; a body that is sent anyway is checked like any JSON body.
    await readOptionalJson(request);
    return json(await yankPackage(core, actor, org, repo, id), 202);
  },
);
