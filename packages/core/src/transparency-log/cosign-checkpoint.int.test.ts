// Witnessing another log: cosigns checkpoints that extend what it verified before, and refuses unknown
// logs, bad signatures, stale sizes and forks — without recording anything it refused.
import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '@pallet/config';
import {
  appendLeaves,
  consistencyProofRanges,
  createNoteSigner,
  formatCheckpoint,
  formatVerifierKey,
  hashLeaf,
  hashRanges,
  nodeKey,
  openNote,
  parseCosignerVerifierKey,
  parseVerifierKey,
  signNote,
} from '@pallet/tlog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { DomainError } from '../errors/domain-errors';
import {
  cosignCheckpoint,
  getWitnessedCheckpoint,
  getWitnessVerifierKey,
  WitnessSizeMismatch,
} from './cosign-checkpoint';

const pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const origin = `other-${Date.now()}.example/log`;
const log = createNoteSigner(origin, pem());
let ctx: CoreContext;

/** The other instance's log with `leaves` entries named by `prefix`: its signed checkpoint and nodes. */
function otherLog(size: number, prefix = 'entry') {
  const leaves = Array.from({ length: size }, (_, i) =>
    hashLeaf(new TextEncoder().encode(`${prefix} ${i}\n`)),
  );
  const grown = appendLeaves(0, [], leaves);
  const nodes = new Map(grown.nodes.map((n) => [nodeKey(n), n.hash]));
  const note = signNote(
    formatCheckpoint({ origin, treeSize: size, rootHash: grown.rootHash, extensions: [] }),
    [log],
  );
  return { note, nodes };
}

function request(oldSize: number, proof: Uint8Array[], note: string): string {
  return `old ${oldSize}\n${proof.map((p) => `${Buffer.from(p).toString('base64')}\n`).join('')}\n${note}`;
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

beforeAll(() => {
  ctx = createCoreContext(
    loadConfig({
      ...process.env,
      PALLET_WITNESS_LOGS: `${formatVerifierKey('unrelated.example/log', createNoteSigner('x', pem()).publicKey)},${formatVerifierKey(origin, log.publicKey)}`,
    }),
  );
});

afterAll(async () => {
  await ctx.queues.close();
});

describe('witness cosigning', () => {
  it('cosigns a first checkpoint, then only checkpoints proved consistent with it', async () => {
    const witness = parseCosignerVerifierKey(await getWitnessVerifierKey(ctx));
    const first = otherLog(5);
    const line = await cosignCheckpoint(ctx, request(0, [], first.note));
    expect(openNote(first.note + line, [witness]).verifiedBy).toEqual([witness.name]);
    expect(Math.abs(witness.lastTimestamp! - Date.now() / 1000)).toBeLessThan(60);

    const second = otherLog(13);
    const proof = hashRanges(consistencyProofRanges(5, 13), second.nodes);
    expect(
      openNote(second.note + (await cosignCheckpoint(ctx, request(5, proof, second.note))), [witness]).text,
    ).toBe(second.note.slice(0, second.note.indexOf('\n\n') + 1));
    const row = await ctx.db.transparencyLogWitnessed.findUniqueOrThrow({ where: { origin } });
    expect(row.treeSize).toBe(13);
    // What a client fetches to compare: the log's own signed checkpoint plus a fresh cosignature.
    const served = await getWitnessedCheckpoint(ctx, { origin });
    expect(served.startsWith(second.note)).toBe(true);
    expect(openNote(served, [witness]).verifiedBy).toEqual([witness.name]);
    expect(openNote(served, [parseVerifierKey(formatVerifierKey(origin, log.publicKey))]).verifiedBy).toEqual(
      [origin],
    );
    expect((await refusal(getWitnessedCheckpoint(ctx, { origin: 'nobody.example/log' }))).kind).toBe(
      'not_found',
    );
  });

  it('answers a stale old size with the size it has seen', async () => {
    const next = otherLog(20);
    const err = await refusal(cosignCheckpoint(ctx, request(5, [], next.note)));
    expect(err).toBeInstanceOf(WitnessSizeMismatch);
    expect((err as WitnessSizeMismatch).treeSize).toBe(13);
  });

  it('refuses a fork: another history of the same size, or a proof that does not connect', async () => {
    const forkSame = otherLog(13, 'forged');
    expect((await refusal(cosignCheckpoint(ctx, request(13, [], forkSame.note)))).code).toBe(
      'inconsistent_checkpoint',
    );
    const forkLonger = otherLog(21, 'forged');
    const proof = hashRanges(consistencyProofRanges(13, 21), forkLonger.nodes);
    expect((await refusal(cosignCheckpoint(ctx, request(13, proof, forkLonger.note)))).code).toBe(
      'inconsistent_checkpoint',
    );
    expect((await ctx.db.transparencyLogWitnessed.findUniqueOrThrow({ where: { origin } })).treeSize).toBe(
      13,
    );
  });

  it('refuses logs it does not witness, bad signatures and malformed requests', async () => {
    const stranger = createNoteSigner('stranger.example/log', pem());
    const strangerNote = signNote(
      formatCheckpoint({
        origin: 'stranger.example/log',
        treeSize: 1,
        rootHash: new Uint8Array(32),
        extensions: [],
      }),
      [stranger],
    );
    expect((await refusal(cosignCheckpoint(ctx, request(0, [], strangerNote)))).kind).toBe('not_found');
    const impostor = createNoteSigner(origin, pem());
    const forged = signNote(
      formatCheckpoint({ origin, treeSize: 30, rootHash: new Uint8Array(32), extensions: [] }),
      [impostor],
    );
    expect((await refusal(cosignCheckpoint(ctx, request(13, [], forged)))).kind).toBe('forbidden');
    for (const body of [
      '',
      'old x\n\nnote',
      `old 1\nnot-base64\n\n${otherLog(2).note}`,
      `old 99\n\n${otherLog(2).note}`,
    ])
      expect((await refusal(cosignCheckpoint(ctx, body))).kind, JSON.stringify(body)).not.toBe('conflict');
  });
});
