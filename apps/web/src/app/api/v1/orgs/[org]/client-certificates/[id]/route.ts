// DELETE /api/v1/orgs/{org}/client-certificates/{id} — the certificate stops granting access at once.
import { revokeClientCertificate } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { route } from '@/lib/route';

export const DELETE = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  await revokeClientCertificate(core, await requireActor(request), org, id);
  return new Response(null, { status: 204 });
});
