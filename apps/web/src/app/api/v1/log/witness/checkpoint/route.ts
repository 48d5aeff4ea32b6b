// GET /api/v1/log/witness/checkpoint?origin= — the largest checkpoint of another log this witness
// verified, with its fresh cosignature; no credentials.
import { getWitnessedCheckpoint } from '@pallet/core';
import { text } from '@/lib/http';
import { route, searchParams } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (request, _params, core) =>
  text(await getWitnessedCheckpoint(core, searchParams(request))),
);
