// POST /api/v1/orgs/{org}/webhooks/{id}/deliveries/{deliveryId}/redeliver — sends the event again.
import { redeliverWebhook } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readOptionalJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; id: string; deliveryId: string }>(
  async (request, { org, id, deliveryId }, core) => {
    const actor = await requireActor(request);
    // No input; a body that is sent anyway is checked like any JSON body.
    await readOptionalJson(request);
    return json(await redeliverWebhook(core, actor, org, id, deliveryId), 202);
  },
);
