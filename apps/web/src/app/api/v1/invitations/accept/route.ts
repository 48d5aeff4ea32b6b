// POST /api/v1/invitations/accept {token} — the signed-in user joins the inviting org.
import { acceptInvitation, InvalidRequest } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route(async (request, _params, core) => {
  const actor = await requireActor(request);
  const body = (await readJson(request)) as { token?: unknown } | null;
  if (typeof body?.token !== 'string') throw new InvalidRequest('Send {"token": "pli_..."}.');
  return json(await acceptInvitation(core, actor, body.token));
});
