// GET /api/v1/orgs/{org}/repos/{repo}/publications?distribution=...
import { listPublications } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string; repo: string }>(async (request, { org, repo }, core) => {
  const q = searchParams(request);
  return json(
    await listPublications(core, await requireActor(request), org, repo, { distribution: q.distribution }),
  );
});
