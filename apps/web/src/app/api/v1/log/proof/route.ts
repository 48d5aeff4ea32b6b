// GET /api/v1/log/proof?sha256=&treeSize= — inclusion proof of a signed index file; no credentials.
import { proveLogInclusion } from '@pallet/core';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (request, _params, core) =>
  json(await proveLogInclusion(core, searchParams(request))),
);
