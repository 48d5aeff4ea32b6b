// Log entries [start, end) for auditors and monitors, at most MAX_ENTRIES per request (like RFC 9162's
// get-entries, a longer range is cut short and the client asks again from where the answer ends).
import { parseLogEntry } from '@pallet/tlog';
import { z } from 'zod';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { assertWithinTree, currentCheckpoint, logNumber, parseLogQuery } from './log-query';

export const MAX_LOG_ENTRIES = 1000;

const query = z.object({ start: logNumber, end: logNumber });

export async function listLogEntries(ctx: CoreContext, raw: unknown) {
  const q = parseLogQuery(query, raw);
  if (q.start >= q.end) throw new InvalidRequest('start must be smaller than end.', 'invalid_query');
  const current = await currentCheckpoint(ctx);
  assertWithinTree('end', q.end, current.treeSize);
  const end = Math.min(q.end, q.start + MAX_LOG_ENTRIES);
  const rows = await ctx.db.transparencyLogEntry.findMany({
    where: { index: { gte: q.start, lt: end } },
    orderBy: { index: 'asc' },
  });
  return {
    treeSize: current.treeSize,
    items: rows.map((r) => {
      const e = parseLogEntry(new Uint8Array(r.entry));
      return {
        index: r.index,
        leaf: Buffer.from(r.entry).toString('base64'),
        sha256: r.sha256,
        file: e.file,
        format: e.format,
        ...(e.commitment
          ? { commitment: e.commitment }
          : { repository: e.repository, distribution: e.distribution }),
        publishedAt: e.publishedAt.toISOString(),
        keyFingerprints: e.keyFingerprints,
      };
    }),
  };
}
