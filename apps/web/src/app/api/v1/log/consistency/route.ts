// GET /api/v1/log/consistency?from=&to= — consistency proof between two tree sizes; no credentials.
import { proveLogConsistency } from '@pallet/core';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (request, _params, core) =>
  json(await proveLogConsistency(core, searchParams(request))),
);
