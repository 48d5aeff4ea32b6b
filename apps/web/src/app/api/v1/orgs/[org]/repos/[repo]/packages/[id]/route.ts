// GET, DELETE /api/v1/orgs/{org}/repos/{repo}/packages/{id}
import { deletePackage, getPackage } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; id: string };

export const GET = route<P>(async (request, { org, repo, id }, core) =>
  json(await getPackage(core, await requireActor(request), org, repo, id)),
);

export const DELETE = route<P>(async (request, { org, repo, id }, core) => {
  await deletePackage(core, await requireActor(request), org, repo, id);
  return json({ id, status: 'deleting' }, 202);
});
