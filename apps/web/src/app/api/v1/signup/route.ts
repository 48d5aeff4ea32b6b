// POST /api/v1/signup — creates a user, an org and an org:admin token.
import { signUp } from '@pallet/core';
import { clientIp } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route(async (request, _params, core) => {
  const result = await signUp(core, await readJson(request), clientIp(request));
  return json(result, 201);
});
