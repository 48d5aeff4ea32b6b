// POST /api/v1/orgs/{org}/repos/{repo}/packages/{id}/yank
import { yankPackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; repo: string; id: string }>(
  async (request, { org, repo, id }, core) =>
    json(await yankPackage(core, await requireActor(request), org, repo, id), 202),
);
