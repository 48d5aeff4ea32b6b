// RFC 9162 inclusion proof of a signed index file (by its SHA-256) in the log at a given tree size.
import { inclusionProofRanges } from '@pallet/tlog';
import { z } from 'zod';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest, NotFound } from '../errors/domain-errors';
import { assertWithinTree, currentCheckpoint, hashStoredRanges, logNumber, parseLogQuery } from './log-query';

const query = z.object({
  sha256: z
    .string({ error: 'sha256 is required' })
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
    .transform((s) => s.toLowerCase()),
  treeSize: logNumber.optional(),
});

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leaf: string;
  auditPath: string[];
}

export async function proveLogInclusion(ctx: CoreContext, raw: unknown): Promise<InclusionProof> {
  const q = parseLogQuery(query, raw);
  const current = await currentCheckpoint(ctx);
  const treeSize = q.treeSize ?? current.treeSize;
  assertWithinTree('treeSize', treeSize, current.treeSize);
  if (treeSize === 0) throw new InvalidRequest('treeSize must be at least 1.', 'invalid_query');
  const entry = await ctx.db.transparencyLogEntry.findFirst({
    where: { sha256: q.sha256, index: { lt: treeSize } },
    orderBy: { index: 'asc' },
  });
  if (!entry)
    throw new NotFound(`log entry for sha256 ${q.sha256} in the first ${treeSize} entries`, 'not_in_log');
  return {
    leafIndex: entry.index,
    treeSize,
    leaf: Buffer.from(entry.entry).toString('base64'),
    auditPath: await hashStoredRanges(ctx.db, inclusionProofRanges(entry.index, treeSize)),
  };
}
