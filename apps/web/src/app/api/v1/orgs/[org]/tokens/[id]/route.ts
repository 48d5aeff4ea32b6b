// DELETE /api/v1/orgs/{org}/tokens/{id} — the token stops working at once.
import { revokeToken } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { route } from '@/lib/route';

export const DELETE = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  await revokeToken(core, await requireActor(request), org, id);
  return new Response(null, { status: 204 });
});
