// RFC 9162 consistency proof between two tree sizes of the log.
import { consistencyProofRanges } from '@pallet/tlog';
import { z } from 'zod';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { assertWithinTree, currentCheckpoint, hashStoredRanges, logNumber, parseLogQuery } from './log-query';

const query = z.object({
  from: logNumber,
  to: logNumber,
});

export async function proveLogConsistency(ctx: CoreContext, raw: unknown): Promise<{ proof: string[] }> {
  const q = parseLogQuery(query, raw);
  if (q.from > q.to) throw new InvalidRequest('from must not exceed to.', 'invalid_query');
  const current = await currentCheckpoint(ctx);
  assertWithinTree('to', q.to, current.treeSize);
  return { proof: await hashStoredRanges(ctx.db, consistencyProofRanges(q.from, q.to)) };
}
