// GET /api/v1/log/checkpoint — the transparency log's newest signed checkpoint; no credentials.
import { getLogCheckpoint } from '@pallet/core';
import { text } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (_request, _params, core) => text(await getLogCheckpoint(core)));
