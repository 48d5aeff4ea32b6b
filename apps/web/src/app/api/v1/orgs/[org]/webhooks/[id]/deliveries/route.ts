// GET /api/v1/orgs/{org}/webhooks/{id}/deliveries?limit= — the delivery log, newest first.
import { listWebhookDeliveries } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { integerParam } from '@/lib/edge-input';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  const limit = integerParam(searchParams(request).limit, 'limit', { min: 1n, max: 500n }) ?? 100n;
  const items = await listWebhookDeliveries(core, await requireActor(request), org, id, {
    limit: Number(limit),
  });
  return json({ items });
});
