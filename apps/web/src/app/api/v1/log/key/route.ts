// GET /api/v1/log/key — the note verifier key that signs the log's checkpoints; no credentials.
import { getLogVerifierKey } from '@pallet/core';
import { text } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (_request, _params, core) => text(`${await getLogVerifierKey(core)}\n`));
