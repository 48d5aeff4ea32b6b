// GET /api/v1/orgs/{org}/audit?limit=&before=
import { AUDIT_EVENT_ID_MAX, listAuditEvents } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { integerParam } from '@/lib/edge-input';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) => {
  const q = searchParams(request);
  const limit = integerParam(q.limit, 'limit', { min: 1n, max: 500n }) ?? 50n;
  const before = integerParam(q.before, 'before', { min: 0n, max: AUDIT_EVENT_ID_MAX });
  const result = await listAuditEvents(core, await requireActor(request), org, {
    limit: Number(limit),
    ...(before === undefined ? {} : { before: before.toString() }),
    action: q.action,
  });
  return json(result);
});
