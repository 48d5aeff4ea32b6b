// GET, DELETE /api/v1/orgs/{org}/webhooks/{id}
import { deleteWebhook, getWebhook } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string; id: string }>(async (request, { org, id }, core) =>
  json(await getWebhook(core, await requireActor(request), org, id)),
);

export const DELETE = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  await deleteWebhook(core, await requireActor(request), org, id);
  return new Response(null, { status: 204 });
});
