// GET /api/v1/me — the caller: user and orgs with roles (session), or the token and its org.
import { getMe } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route(async (request, _params, core) =>
  json(await getMe(core, await requireActor(request))),
);
