// GET /api/v1/orgs/{org}/repos/{repo}/distributions
import { listDistributions } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string; repo: string }>(async (request, { org, repo }, core) =>
  json(await listDistributions(core, await requireActor(request), org, repo)),
);
