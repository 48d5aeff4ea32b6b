// Witnessing: cosigns another Pallet instance's checkpoint (C2SP tlog-cosignature) after checking its
// signature with the configured log key and its consistency with the largest checkpoint this witness has
// verified for that log, so the witness never cosigns two forks of one log. The request body follows the
// C2SP tlog-witness add-checkpoint format: `old <size>`, one base64 consistency-proof hash per line, a
// blank line, then the signed checkpoint.
import {
  NoteError,
  type NoteVerifier,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyConsistency,
} from '@pallet/tlog';
import type { CoreContext } from '../context/core-context';
import { Conflict, Forbidden, InvalidRequest, NotFound } from '../errors/domain-errors';
import { loadWitnessCosigner } from './load-log-signer';

const MAX_BODY = 64 * 1024;

/** The witness saw another size than the pusher assumed; the answer tells which (tlog-witness 409). */
export class WitnessSizeMismatch extends Conflict {
  constructor(readonly treeSize: number) {
    super(`This witness has verified this log up to tree size ${treeSize}.`, 'witness_size_mismatch', {
      treeSize,
    });
  }
}

function parseRequest(body: string): { oldSize: number; proof: Uint8Array[]; note: string } {
  if (body.length > MAX_BODY) throw new InvalidRequest('The request is too long.', 'invalid_witness_request');
  const split = body.indexOf('\n\n');
  const head = split < 0 ? [] : body.slice(0, split).split('\n');
  const old = /^old (0|[1-9][0-9]{0,14})$/.exec(head[0] ?? '');
  if (!old) throw new InvalidRequest('The body starts with "old <size>".', 'invalid_witness_request');
  const proof = head.slice(1).map((line) => {
    const bytes = Buffer.from(line, 'base64');
    if (bytes.length !== 32 || bytes.toString('base64') !== line)
      throw new InvalidRequest('Each proof line is one base64 SHA-256 hash.', 'invalid_witness_request');
    return new Uint8Array(bytes);
  });
  return { oldSize: Number(old[1]), proof, note: body.slice(split + 2) };
}

/** The configured logs; a malformed key is reported and skipped rather than failing every request. */
function witnessedVerifiers(ctx: CoreContext): NoteVerifier[] {
  return ctx.config.witnessLogs.flatMap((vkey) => {
    try {
      return [parseVerifierKey(vkey)];
    } catch (err) {
      ctx.log.warn({ vkey, reason: (err as Error).message }, 'PALLET_WITNESS_LOGS has an unusable key');
      return [];
    }
  });
}

export async function cosignCheckpoint(ctx: CoreContext, body: string): Promise<string> {
  const req = parseRequest(body);
  const origin = req.note.slice(0, req.note.indexOf('\n'));
  const verifier = witnessedVerifiers(ctx).find((v) => v.name === origin);
  if (!verifier) throw new NotFound('log witnessed here with this origin', 'unknown_log');
  let text: string;
  try {
    text = openNote(req.note, [verifier]).text;
  } catch (err) {
    if (err instanceof NoteError)
      throw new Forbidden(`The checkpoint does not verify: ${err.message}`, 'bad_signature');
    throw err;
  }
  const checkpoint = parseCheckpoint(text);
  if (req.oldSize > checkpoint.treeSize)
    throw new InvalidRequest('old is larger than the checkpoint size.', 'invalid_witness_request');
  await ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`witness:${origin}`}))`;
    const seen = await tx.transparencyLogWitnessed.findUnique({ where: { origin } });
    const seenSize = seen?.treeSize ?? 0;
    if (req.oldSize !== seenSize) throw new WitnessSizeMismatch(seenSize);
    const consistent = seen
      ? verifyConsistency(
          seen.treeSize,
          checkpoint.treeSize,
          req.proof,
          new Uint8Array(seen.rootHash),
          checkpoint.rootHash,
        )
      : req.proof.length === 0;
    if (!consistent)
      throw new InvalidRequest(
        `The checkpoint is not consistent with tree size ${seenSize} this witness verified: a fork.`,
        'inconsistent_checkpoint',
      );
    const data = {
      treeSize: checkpoint.treeSize,
      rootHash: Buffer.from(checkpoint.rootHash),
      note: req.note,
    };
    await tx.transparencyLogWitnessed.upsert({
      where: { origin },
      create: { origin, ...data },
      update: data,
    });
  });
  const cosigner = await loadWitnessCosigner(ctx);
  return cosigner.cosign(text, Math.floor(Date.now() / 1000));
}

export async function getWitnessVerifierKey(ctx: CoreContext): Promise<string> {
  return (await loadWitnessCosigner(ctx)).verifierKey;
}

/**
 * The largest checkpoint this witness verified for a log, cosigned now: a client compares it with the
 * checkpoint the log serves it, so a log that forks for some clients is caught by what the others pushed.
 */
export async function getWitnessedCheckpoint(ctx: CoreContext, raw: { origin?: string }): Promise<string> {
  if (!raw.origin) throw new InvalidRequest('origin is required.', 'invalid_query');
  const seen = await ctx.db.transparencyLogWitnessed.findUnique({ where: { origin: raw.origin } });
  if (!seen) throw new NotFound('checkpoint witnessed here for this origin', 'unknown_log');
  const cosigner = await loadWitnessCosigner(ctx);
  const text = seen.note.slice(0, seen.note.lastIndexOf('\n\n') + 1);
  return seen.note + cosigner.cosign(text, Math.floor(Date.now() / 1000));
}
