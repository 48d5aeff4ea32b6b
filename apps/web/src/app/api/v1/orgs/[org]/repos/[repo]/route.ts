// GET, PATCH, DELETE /api/v1/orgs/{org}/repos/{repo}
import { deleteRepository, getRepository, updateRepository } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string };

export const GET = route<P>(async (request, { org, repo }, core) =>
  json(await getRepository(core, await requireActor(request), org, repo)),
);

export const PATCH = route<P>(async (request, { org, repo }, core) => {
  const actor = await requireActor(request);
  return json(await updateRepository(core, actor, org, repo, await readJson(request)));
});

export const DELETE = route<P>(async (request, { org, repo }, core) => {
  await deleteRepository(core, await requireActor(request), org, repo);
  return new Response(null, { status: 204 });
});
