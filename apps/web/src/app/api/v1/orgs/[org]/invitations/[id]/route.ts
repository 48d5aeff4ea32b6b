// DELETE /api/v1/orgs/{org}/invitations/{id} — the link stops working at once.
import { revokeInvitation } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { route } from '@/lib/route';

export const DELETE = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  await revokeInvitation(core, await requireActor(request), org, id);
  return new Response(null, { status: 204 });
});
