// `pallet verify ORG/REPO DIST`: proves that the signed index a machine is served (InRelease or
// repomd.xml) is in Pallet's public transparency log, under a checkpoint signed by the pinned log key,
// and that this checkpoint extends the last one this machine saw. Each failure has its own exit code.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiError, type PalletClient } from '@pallet/api-client';
import {
  type Checkpoint,
  hashLeaf,
  NoteError,
  openNote,
  parseCheckpoint,
  parseCosignerVerifierKey,
  parseLogEntry,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '@pallet/tlog';
import { readSeenLog, type SeenLog, writeSeenLog } from './log-state';

export const VERIFY_EXIT = {
  /** the index is in the log, under a verified checkpoint consistent with the last one seen */
  ok: 0,
  /** the index is not in the log (or its proof does not verify): a possible split view */
  notLogged: 3,
  /** the checkpoint does not extend the one seen before: the log forked or was rewritten */
  fork: 4,
  /** the checkpoint is not signed by the pinned log key */
  untrusted: 5,
} as const;

export interface VerifyOptions {
  org: string;
  repo: string;
  distribution: string;
  /** the Pallet server (PALLET_URL): where the log and the setup answer are */
  server: string;
  client: PalletClient;
  /** a read token: for the setup answer and a private repository's files */
  token?: string;
  /** repository root to fetch the index from instead of the setup answer's baseUrl (a mirror) */
  baseUrl?: string;
  /** a local copy of the index (e.g. apt's /var/lib/apt/lists/..._InRelease) instead of fetching */
  file?: string;
  format?: 'deb' | 'rpm';
  /** a verifier key given by the operator; otherwise the one pinned in the state file or on first use */
  logKey?: string;
  statePath: string;
  /** a witness to compare checkpoints with: its cosigner verifier key and its Pallet URL */
  witness?: { key: string; url: string };
}

class VerifyFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

async function fetchIndex(opts: VerifyOptions): Promise<{ where: string; bytes: Uint8Array; name: string }> {
  let format = opts.format;
  let baseUrl = opts.baseUrl;
  if (!format || (!baseUrl && !opts.file)) {
    if (!opts.token)
      throw new Error('without PALLET_TOKEN (for the setup answer), give --format and --base-url or --file');
    const setup = await opts.client.setup(opts.org, opts.repo, opts.distribution);
    format ??= setup.format;
    baseUrl ??= setup.baseUrl;
  }
  const release = opts.distribution.split('/')[1] ?? '';
  const name = format === 'deb' ? 'InRelease' : 'repomd.xml';
  if (opts.file) return { where: opts.file, bytes: new Uint8Array(readFileSync(opts.file)), name };
  const url = `${baseUrl!.replace(/\/+$/, '')}/${format === 'deb' ? `dists/${release}/InRelease` : 'repodata/repomd.xml'}`;
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Basic ${Buffer.from(`token:${opts.token}`).toString('base64')}`;
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return { where: url, bytes: new Uint8Array(await res.arrayBuffer()), name };
}

async function trustedKey(opts: VerifyOptions, seen: SeenLog | undefined, out: (line: string) => void) {
  if (opts.logKey) {
    out(`log key   ${opts.logKey} (given)`);
    return { vkey: opts.logKey, pinnedNow: false };
  }
  if (seen) {
    out(`log key   ${seen.verifierKey} (pinned)`);
    return { vkey: seen.verifierKey, pinnedNow: false };
  }
  const vkey = await opts.client.logKey();
  out(`log key   ${vkey} (first use: pinned now; compare it with one published out of band)`);
  return { vkey, pinnedNow: true };
}

function openCheckpoint(note: string, vkey: string): Checkpoint {
  try {
    const verifier = parseVerifierKey(vkey);
    const { text } = openNote(note, [verifier]);
    const cp = parseCheckpoint(text);
    if (cp.origin !== verifier.name)
      throw new NoteError(`checkpoint origin ${cp.origin} is not ${verifier.name}`);
    return cp;
  } catch (err) {
    if (err instanceof NoteError)
      throw new VerifyFailure(VERIFY_EXIT.untrusted, `UNTRUSTED CHECKPOINT: ${err.message}`);
    throw err;
  }
}

interface TreeHead {
  size: number;
  root: Uint8Array;
}

/** Why two tree heads cannot lie on one append-only history, or null when the log proves they do. */
async function inconsistency(client: PalletClient, a: TreeHead, b: TreeHead): Promise<string | null> {
  const [older, newer] = a.size <= b.size ? [a, b] : [b, a];
  if (older.size === newer.size)
    return Buffer.compare(Buffer.from(older.root), Buffer.from(newer.root)) === 0
      ? null
      : 'same size, different root';
  let proof: string[];
  try {
    proof = (await client.logConsistencyProof(older.size, newer.size)).proof;
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) return `no consistency proof: ${err.message}`;
    throw err;
  }
  return verifyConsistency(older.size, newer.size, proof.map(fromB64), older.root, newer.root)
    ? null
    : 'the consistency proof does not verify';
}

/** Proves the served checkpoint and the one seen before lie on one append-only history. */
async function checkConsistency(
  opts: VerifyOptions,
  seen: SeenLog,
  cp: Checkpoint,
  out: (line: string) => void,
) {
  const why = await inconsistency(
    opts.client,
    { size: seen.treeSize, root: fromB64(seen.rootHash) },
    { size: cp.treeSize, root: cp.rootHash },
  );
  if (why)
    throw new VerifyFailure(
      VERIFY_EXIT.fork,
      `LOG FORK: the checkpoint at tree size ${cp.treeSize} does not extend the one seen ${seen.seenAt} at tree size ${seen.treeSize} (${why}). ` +
        'The server shows different histories to different clients, or rewrote its log. Keep the state file as evidence.',
    );
  out(
    cp.treeSize === seen.treeSize
      ? `consistent same tree as seen ${seen.seenAt}`
      : `consistent with the checkpoint seen ${seen.seenAt} at tree size ${seen.treeSize}` +
          (cp.treeSize < seen.treeSize ? ' (the served checkpoint is older: a stale cache, not a fork)' : ''),
  );
}

/**
 * Compares the served checkpoint with the newest one a witness verified (what the log showed everyone
 * who pushed to it): a log that forks for this machine alone cannot be consistent with both.
 */
async function checkWitness(opts: VerifyOptions, vkey: string, cp: Checkpoint, out: (line: string) => void) {
  const witness = opts.witness!;
  const url = `${witness.url.replace(/\/+$/, '')}/api/v1/log/witness/checkpoint?origin=${encodeURIComponent(cp.origin)}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const note = await res.text();
  let seen: Checkpoint;
  const cosigner = (() => {
    try {
      return parseCosignerVerifierKey(witness.key);
    } catch (err) {
      throw new Error(`--witness-key: ${(err as Error).message}`);
    }
  })();
  try {
    openNote(note, [cosigner]);
    seen = openCheckpoint(note, vkey);
  } catch (err) {
    if (err instanceof NoteError)
      throw new VerifyFailure(VERIFY_EXIT.untrusted, `UNTRUSTED WITNESS CHECKPOINT: ${err.message}`);
    throw err;
  }
  const when = cosigner.lastTimestamp ? new Date(cosigner.lastTimestamp * 1000).toISOString() : 'now';
  const why = await inconsistency(
    opts.client,
    { size: seen.treeSize, root: seen.rootHash },
    { size: cp.treeSize, root: cp.rootHash },
  );
  if (why)
    throw new VerifyFailure(
      VERIFY_EXIT.fork,
      `LOG FORK: witness ${cosigner.name} cosigned tree size ${seen.treeSize} (${when}), which the checkpoint served here ` +
        `(tree size ${cp.treeSize}) does not agree with (${why}). This machine is shown another history than the witness.`,
    );
  out(
    `witnessed ${cosigner.name} cosigned tree size ${seen.treeSize} at ${when}: consistent with the served checkpoint`,
  );
}

async function checkInclusion(
  opts: VerifyOptions,
  cp: Checkpoint,
  sha256: string,
  name: string,
  out: (line: string) => void,
) {
  const notLogged = (why: string) =>
    new VerifyFailure(
      VERIFY_EXIT.notLogged,
      `NOT IN THE LOG: this ${name} (sha256 ${sha256}) ${why}. Pallet never published it for everyone to see: ` +
        'it may be a targeted (split-view) index signed with a stolen key, or a tampering mirror.',
    );
  let proof: Awaited<ReturnType<PalletClient['logInclusionProof']>>;
  try {
    proof = await opts.client.logInclusionProof(sha256, cp.treeSize);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404)
      throw notLogged(`is not among the log's ${cp.treeSize} entries`);
    throw err;
  }
  const leaf = fromB64(proof.leaf);
  const entry = parseLogEntry(leaf);
  if (entry.sha256 !== sha256) throw notLogged('was answered with an entry for another file');
  if (
    proof.treeSize !== cp.treeSize ||
    !verifyInclusion(hashLeaf(leaf), proof.leafIndex, cp.treeSize, proof.auditPath.map(fromB64), cp.rootHash)
  )
    throw notLogged('has an inclusion proof that does not verify against the checkpoint');
  if (entry.repository !== undefined) {
    const expected = `${opts.org}/${opts.repo}`;
    if (entry.repository !== expected || entry.distribution !== opts.distribution)
      throw notLogged(
        `is logged for ${entry.repository} ${entry.distribution}, not ${expected} ${opts.distribution}`,
      );
  }
  out(
    `included  entry ${proof.leafIndex}: ${entry.file} ${entry.format}, published ${entry.publishedAt.toISOString()}, ` +
      `signed by ${entry.keyFingerprints.join(', ') || 'no key'}${entry.commitment ? ' (private: names committed)' : ''}`,
  );
}

/** Runs the checks and prints what was proved; returns the exit code. */
export async function verifyIndex(opts: VerifyOptions, out: (line: string) => void): Promise<number> {
  out(`pallet verify ${opts.org}/${opts.repo} ${opts.distribution}`);
  try {
    const seen = readSeenLog(opts.statePath, opts.server);
    const index = await fetchIndex(opts);
    const sha256 = createHash('sha256').update(index.bytes).digest('hex');
    out(`index     ${index.where}`);
    out(`sha256    ${sha256}`);
    const { vkey } = await trustedKey(opts, seen, out);
    const note = await opts.client.logCheckpoint();
    const cp = openCheckpoint(note, vkey);
    out(`checkpoint ${cp.origin} tree size ${cp.treeSize}, root ${b64(cp.rootHash)}: signature verified`);
    if (seen && seen.verifierKey !== vkey)
      throw new VerifyFailure(
        VERIFY_EXIT.untrusted,
        `UNTRUSTED CHECKPOINT: --log-key differs from the key pinned in ${opts.statePath}`,
      );
    if (seen) await checkConsistency(opts, seen, cp, out);
    else out('consistent (first checkpoint seen: nothing to compare yet; kept for the next run)');
    if (opts.witness) await checkWitness(opts, vkey, cp, out);
    if (!seen || cp.treeSize >= seen.treeSize)
      writeSeenLog(opts.statePath, opts.server, {
        verifierKey: vkey,
        treeSize: cp.treeSize,
        rootHash: b64(cp.rootHash),
        checkpoint: note,
        seenAt: new Date().toISOString(),
      });
    await checkInclusion(opts, cp, sha256, index.name, out);
    out(
      `OK: this ${index.name} is in Pallet's public log for ${opts.org}/${opts.repo} ${opts.distribution}, ` +
        'under a checkpoint signed by the log key and consistent with what this machine saw before.',
    );
    return VERIFY_EXIT.ok;
  } catch (err) {
    if (err instanceof VerifyFailure) {
      out(err.message);
      return err.exitCode;
    }
    throw err;
  }
}
