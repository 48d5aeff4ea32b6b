// GET /api/v1/log/witness — this instance's witness (cosigner) key; POST — cosign another Pallet
// instance's checkpoint (C2SP tlog-witness add-checkpoint body). No credentials: the log's signature and
// the consistency proof are what the witness checks.
import { cosignCheckpoint, getWitnessVerifierKey, WitnessSizeMismatch } from '@pallet/core';
import { errorResponse, text } from '@/lib/http';
import { readLimitedText } from '@/lib/request-body';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (_request, _params, core) => text(`${await getWitnessVerifierKey(core)}\n`));

export const POST = route(async (request, _params, core) => {
  const body = await readLimitedText(request, core.config.maxJsonBytes, core.config.jsonDrainMaxBytes);
  try {
    return text(await cosignCheckpoint(core, body));
  } catch (err) {
    if (!(err instanceof WitnessSizeMismatch)) throw err;
    // The pusher retries from the size this witness holds (tlog-witness answers it with the 409).
    const res = errorResponse(err);
    res.headers.set('pallet-witness-tree-size', String(err.treeSize));
    return res;
  }
});
