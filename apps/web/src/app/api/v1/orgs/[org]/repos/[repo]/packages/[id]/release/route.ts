// POST /api/v1/orgs/{org}/repos/{repo}/packages/{id}/release: publish a quarantined package.
import { releasePackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; id: string };

export const POST = route<P>(async (request, { org, repo, id }, core) =>
  json(await releasePackage(core, await requireActor(request), org, repo, id)),
);
