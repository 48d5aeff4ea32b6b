// Appends entries to the transparency log and signs the new checkpoint, inside the caller's transaction.
// One append at a time (a transaction-scoped advisory lock), reading only the O(log n) frontier nodes.
import type { Tx } from '@pallet/db';
import { appendLeaves, formatCheckpoint, hashLeaf, nodeKey, rangeNodes, signNote } from '@pallet/tlog';
import type { CoreContext } from '../context/core-context';
import { loadLogSigner } from './load-log-signer';

/** Advisory lock key (two-int form, so it cannot meet the per-distribution hashtext() locks). */
const LOG_LOCK = [0x706c7400, 1] as const;

export interface NewLogEntry {
  sha256: string;
  entry: Uint8Array;
  publicationId?: string;
}

export interface SignedCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
  note: string;
}

export async function appendToLog(
  ctx: CoreContext,
  tx: Tx,
  entries: NewLogEntry[],
): Promise<SignedCheckpoint> {
  const signer = await loadLogSigner(ctx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOG_LOCK[0]}::int, ${LOG_LOCK[1]}::int)`;
  const last = await tx.transparencyLogEntry.aggregate({ _max: { index: true } });
  const size = (last._max.index ?? -1) + 1;
  if (entries.length === 0) {
    const existing = await tx.transparencyLogCheckpoint.findUnique({ where: { treeSize: size } });
    if (existing) return existing;
  }
  const frontierIds = rangeNodes({ start: 0, end: size });
  const stored = frontierIds.length
    ? await tx.transparencyLogNode.findMany({ where: { OR: frontierIds.map((id) => ({ ...id })) } })
    : [];
  const byKey = new Map(stored.map((n) => [nodeKey(n), new Uint8Array(n.hash)]));
  const frontier = frontierIds.map((id) => {
    const hash = byKey.get(nodeKey(id));
    if (!hash) throw new Error(`transparency log node ${nodeKey(id)} is missing`);
    return hash;
  });
  const grown = appendLeaves(
    size,
    frontier,
    entries.map((e) => hashLeaf(e.entry)),
  );
  if (entries.length) {
    await tx.transparencyLogEntry.createMany({
      data: entries.map((e, i) => ({
        index: size + i,
        sha256: e.sha256,
        entry: Buffer.from(e.entry),
        publicationId: e.publicationId ?? null,
      })),
    });
    await tx.transparencyLogNode.createMany({
      data: grown.nodes.map((n) => ({ level: n.level, index: n.index, hash: Buffer.from(n.hash) })),
    });
  }
  const note = signNote(
    formatCheckpoint({ origin: signer.name, treeSize: grown.size, rootHash: grown.rootHash, extensions: [] }),
    [signer],
  );
  const checkpoint = { treeSize: grown.size, rootHash: grown.rootHash, note };
  await tx.transparencyLogCheckpoint.create({
    data: { treeSize: checkpoint.treeSize, rootHash: Buffer.from(checkpoint.rootHash), note },
  });
  return checkpoint;
}
