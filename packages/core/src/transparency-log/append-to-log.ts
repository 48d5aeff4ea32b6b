// Appends entries to the transparency log and signs the new checkpoint, inside the caller's transaction.
// One append at a time (a transaction-scoped advisory lock), reading only the O(log n) frontier nodes.
import type { Tx } from '@pallet/db';
import { appendLeaves, formatCheckpoint, hashLeaf, rangeNodes, signNote } from '@pallet/tlog';
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

/**
 * The tree size and its frontier (the complete subtrees covering [0, size), largest first) in one round
 * trip: for each bit b set in the size, the node at level b with index (size >> b) - 1. Run after the
 * lock, so its snapshot includes every earlier append.
 */
async function readFrontier(tx: Tx): Promise<{ size: number; frontier: Uint8Array[] }> {
  const rows = await tx.$queryRaw<{ size: number; level: number | null; hash: Uint8Array | null }[]>`
    WITH s AS (SELECT COALESCE(MAX("index") + 1, 0)::int AS size FROM "TransparencyLogEntry"),
         ids AS (SELECT b AS level, (s.size >> b) - 1 AS idx FROM s, generate_series(0, 30) AS b
                  WHERE (s.size >> b) & 1 = 1)
    SELECT s.size, n.level, n.hash
      FROM s LEFT JOIN ids ON true
      LEFT JOIN "TransparencyLogNode" n ON n.level = ids.level AND n."index" = ids.idx
     ORDER BY n.level DESC NULLS LAST`;
  const size = rows[0]?.size ?? 0;
  const expected = rangeNodes({ start: 0, end: size });
  const found = rows.filter((r) => r.level !== null);
  if (found.length !== expected.length) throw new Error('transparency log frontier nodes are missing');
  return { size, frontier: found.map((r) => new Uint8Array(r.hash!)) };
}

export async function appendToLog(
  ctx: CoreContext,
  tx: Tx,
  entries: NewLogEntry[],
): Promise<SignedCheckpoint> {
  const signer = await loadLogSigner(ctx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOG_LOCK[0]}::int, ${LOG_LOCK[1]}::int)`;
  const { size, frontier } = await readFrontier(tx);
  if (entries.length === 0) {
    const existing = await tx.transparencyLogCheckpoint.findUnique({ where: { treeSize: size } });
    if (existing) return existing;
  }
  const grown = appendLeaves(
    size,
    frontier,
    entries.map((e) => hashLeaf(e.entry)),
  );
  const note = signNote(
    formatCheckpoint({ origin: signer.name, treeSize: grown.size, rootHash: grown.rootHash, extensions: [] }),
    [signer],
  );
  const checkpoint = { treeSize: grown.size, rootHash: grown.rootHash, note };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  // Entries, nodes and checkpoint in one statement: a publication waits on as few round trips as possible.
  await tx.$executeRaw`
    WITH e AS (
      INSERT INTO "TransparencyLogEntry" ("index", "sha256", "entry", "publicationId")
      SELECT i, s, decode(b, 'hex'), p
        FROM unnest(${entries.map((_, i) => size + i)}::int[], ${entries.map((e) => e.sha256)}::text[],
                    ${entries.map((e) => hex(e.entry))}::text[], ${entries.map((e) => e.publicationId ?? null)}::text[])
             AS t(i, s, b, p)
    ), n AS (
      INSERT INTO "TransparencyLogNode" ("level", "index", "hash")
      SELECT l, i, decode(h, 'hex')
        FROM unnest(${grown.nodes.map((n) => n.level)}::int[], ${grown.nodes.map((n) => n.index)}::int[],
                    ${grown.nodes.map((n) => hex(n.hash))}::text[]) AS t(l, i, h)
    )
    INSERT INTO "TransparencyLogCheckpoint" ("treeSize", "rootHash", "note")
    VALUES (${checkpoint.treeSize}, decode(${hex(checkpoint.rootHash)}, 'hex'), ${note})`;
  return checkpoint;
}
