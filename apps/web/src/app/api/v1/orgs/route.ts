// POST /api/v1/orgs — a signed-in user creates an org and becomes its owner.
import { createOrg } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route(async (request, _params, core) => {
  const actor = await requireActor(request);
  return json(await createOrg(core, actor, await readJson(request)), 201);
});
