// Cosignatures: a witness's line verifies with its type-0x04 key beside the log's own signature, binds
// the timestamp and the checkpoint, and is never mistaken for a log signature.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint';
import { createCosigner, parseCosignerVerifierKey } from './cosignature';
import { EMPTY_TREE_HASH } from './merkle';
import { createNoteSigner, formatVerifierKey, openNote, parseVerifierKey, signNote } from './signed-note';

const pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('cosignatures', () => {
  const log = createNoteSigner('log.example/log', pem());
  const witness = createCosigner('witness.example/w1', pem());
  const body = formatCheckpoint({ origin: log.name, treeSize: 7, rootHash: EMPTY_TREE_HASH, extensions: [] });
  const note = signNote(body, [log]);

  it('adds a line that verifies with the witness key and carries its timestamp', () => {
    const line = witness.cosign(body, 1_700_000_000);
    expect(line).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    expect(Buffer.from(line.split(' ')[2]!.trim(), 'base64')).toHaveLength(4 + 8 + 64);
    const cosigned = note + line;
    const verifier = parseCosignerVerifierKey(witness.verifierKey);
    expect(openNote(cosigned, [verifier]).verifiedBy).toEqual(['witness.example/w1']);
    expect(verifier.lastTimestamp).toBe(1_700_000_000);
    const both = openNote(cosigned, [verifier, parseVerifierKey(formatVerifierKey(log.name, log.publicKey))]);
    expect(both.verifiedBy.sort()).toEqual(['log.example/log', 'witness.example/w1']);
  });

  it('rejects a cosignature moved to another checkpoint or given another timestamp', () => {
    const line = witness.cosign(body, 1_700_000_000);
    const verifier = parseCosignerVerifierKey(witness.verifierKey);
    const other = formatCheckpoint({
      origin: log.name,
      treeSize: 8,
      rootHash: EMPTY_TREE_HASH,
      extensions: [],
    });
    expect(() => openNote(signNote(other, [log]) + line, [verifier])).toThrow(/Invalid signature/);
    const payload = Buffer.from(line.split(' ')[2]!.trim(), 'base64');
    payload.writeBigUInt64BE(1_700_000_001n, 4);
    const moved = `${note}\u2014 witness.example/w1 ${payload.toString('base64')}\n`;
    expect(() => openNote(moved, [verifier])).toThrow(/Invalid signature/);
  });

  it('keeps cosigner keys and log keys apart', () => {
    expect(() => parseCosignerVerifierKey(formatVerifierKey(log.name, log.publicKey))).toThrow(/cosigner/);
    expect(() => parseVerifierKey(witness.verifierKey)).toThrow(/Ed25519 verifier keys/);
    // The same key pair under type 0x01 has another key hash: a cosignature never passes as a log signature.
    const asLog = parseVerifierKey(formatVerifierKey(witness.name, witness.publicKey));
    expect(asLog.keyHash).not.toBe(witness.keyHash);
  });
});
