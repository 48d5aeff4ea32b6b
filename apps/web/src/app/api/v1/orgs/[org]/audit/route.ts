// GET /api/v1/orgs/{org}/audit?limit=&before=
import { InvalidRequest, listAuditEvents } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) => {
  const q = searchParams(request);
  const limit = q.limit ? Number(q.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new InvalidRequest('limit must be 1 to 500.');
  if (q.before && !/^\d{1,19}$/.test(q.before)) throw new InvalidRequest('before must be an event id.');
  const result = await listAuditEvents(core, await requireActor(request), org, {
    limit,
    before: q.before,
    action: q.action,
  });
  return json(result);
});
