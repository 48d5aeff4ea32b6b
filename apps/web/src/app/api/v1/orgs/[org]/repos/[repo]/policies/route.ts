// GET, PUT /api/v1/orgs/{org}/repos/{repo}/policies: the repository's upload policy.
import { getPolicy, updatePolicy } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string };

export const GET = route<P>(async (request, { org, repo }, core) =>
  json(await getPolicy(core, await requireActor(request), org, repo)),
);

export const PUT = route<P>(async (request, { org, repo }, core) => {
  const actor = await requireActor(request);
  return json(await updatePolicy(core, actor, org, repo, await readJson(request)));
});
