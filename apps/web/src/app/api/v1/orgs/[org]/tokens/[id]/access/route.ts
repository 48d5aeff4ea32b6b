// GET /api/v1/orgs/{org}/tokens/{id}/access?limit= — the token's /dl access log and its alert state.
import { listTokenAccess } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { integerParam } from '@/lib/edge-input';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const GET = route<{ org: string; id: string }>(async (request, { org, id }, core) => {
  const limit = integerParam(searchParams(request).limit, 'limit', { min: 1n, max: 1000n }) ?? 200n;
  return json(await listTokenAccess(core, await requireActor(request), org, id, { limit: Number(limit) }));
});
