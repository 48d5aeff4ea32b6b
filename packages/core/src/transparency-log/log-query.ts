// Shared pieces of the read side of the log: the current signed checkpoint, query parsing, node lookup.
import type { Tx } from '@pallet/db';
import { hashRanges, type LeafRange, nodeKey, nodesForRanges } from '@pallet/tlog';
import { z } from 'zod';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { appendToLog, type SignedCheckpoint } from './append-to-log';

/** A decimal tree size or index as a query parameter: no signs, exponents or leading zeros. */
export const logNumber = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, 'must be a non-negative decimal integer')
  .transform(Number);

export function parseLogQuery<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new InvalidRequest(`${where}${issue?.message ?? 'invalid query'}`, 'invalid_query');
  }
  return parsed.data;
}

/** The newest signed checkpoint; an empty log signs its size-0 checkpoint on first request. */
export async function currentCheckpoint(ctx: CoreContext): Promise<SignedCheckpoint> {
  const latest = await ctx.db.transparencyLogCheckpoint.findFirst({ orderBy: { treeSize: 'desc' } });
  if (latest)
    return { treeSize: latest.treeSize, rootHash: new Uint8Array(latest.rootHash), note: latest.note };
  return ctx.db.$transaction((tx) => appendToLog(ctx, tx, []));
}

export function assertWithinTree(name: string, value: number, treeSize: number): void {
  if (value > treeSize)
    throw new InvalidRequest(
      `${name} ${value} is beyond the log's tree size ${treeSize}.`,
      'beyond_tree_size',
    );
}

/** Hashes of proof ranges from the stored complete subtrees (O(log n) rows). */
export async function hashStoredRanges(db: Tx, ranges: LeafRange[]): Promise<string[]> {
  const ids = nodesForRanges(ranges);
  const rows = ids.length
    ? await db.transparencyLogNode.findMany({ where: { OR: ids.map((id) => ({ ...id })) } })
    : [];
  const nodes = new Map(rows.map((r) => [nodeKey(r), new Uint8Array(r.hash)]));
  return hashRanges(ranges, nodes).map((h) => Buffer.from(h).toString('base64'));
}
