// GET /api/v1/orgs/{org}/repos/{repo}/publications/{id}/restore-preview
import { previewRestore } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string; repo: string; id: string }>(
  async (request, { org, repo, id }, core) =>
    json(await previewRestore(core, await requireActor(request), org, repo, id)),
);
