// POST /api/v1/orgs/{org}/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends the event again.
import { redeliverWebhook } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; id: string; deliveryId: string }>(
  async (request, { org, id, deliveryId }, core) =>
    json(await redeliverWebhook(core, await requireActor(request), org, id, deliveryId), 202),
);
