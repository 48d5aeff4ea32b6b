// GET /api/v1/log/entries?start=&end= — log entries for auditors and monitors; no credentials.
import { listLogEntries } from '@pallet/core';
import { json } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (request, _params, core) =>
  json(await listLogEntries(core, searchParams(request))),
);
