// C2SP tlog-cosignature/v1 (https://c2sp.org/tlog-cosignature) with Ed25519: a witness's timestamped
// statement that a checkpoint is the largest consistent tree head it has seen for that log.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import {
  assertKeyName,
  computeKeyHash,
  formatSignatureLine,
  NoteError,
  type NoteSigner,
  type NoteVerifier,
  rawEd25519PublicKey,
} from './signed-note';

/** Signature type of Ed25519 cosignatures in the C2SP signed-note registry. */
export const SIG_TYPE_COSIGNATURE = 0x04;

function cosignedMessage(checkpointText: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

export interface Cosigner extends Omit<NoteSigner, 'sign'> {
  publicKey: Uint8Array;
  /** the cosigner's verifier key (type 0x04) */
  verifierKey: string;
  /** a signature line over the checkpoint body (the note text, not its signatures) */
  cosign(checkpointText: string, timestamp: number): string;
}

export function createCosigner(name: string, privateKeyPem: string): Cosigner {
  assertKeyName(name);
  const priv = createPrivateKey(privateKeyPem);
  if (priv.asymmetricKeyType !== 'ed25519') throw new NoteError('The cosigner key must be Ed25519');
  const publicKey = rawEd25519PublicKey(createPublicKey(priv));
  const keyHash = computeKeyHash(name, SIG_TYPE_COSIGNATURE, publicKey);
  const encoded = Buffer.concat([Uint8Array.of(SIG_TYPE_COSIGNATURE), publicKey]).toString('base64');
  return {
    name,
    keyHash,
    publicKey,
    verifierKey: `${name}+${keyHash.toString(16).padStart(8, '0')}+${encoded}`,
    cosign(checkpointText, timestamp) {
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new NoteError('Bad cosignature timestamp');
      const payload = Buffer.alloc(8 + 64);
      payload.writeBigUInt64BE(BigInt(timestamp), 0);
      payload.set(sign(null, cosignedMessage(checkpointText, timestamp), priv), 8);
      return formatSignatureLine({ name, keyHash }, payload);
    },
  };
}

/** A verifier for openNote that accepts a cosigner's timestamped signatures (vkey of type 0x04). */
export function parseCosignerVerifierKey(vkey: string): NoteVerifier & { lastTimestamp?: number } {
  const m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim());
  if (!m) throw new NoteError('A verifier key is <name>+<hex key hash>+<base64 key>');
  const [, name, hashHex, keyB64] = m as unknown as [string, string, string, string];
  assertKeyName(name);
  const bytes = Buffer.from(keyB64, 'base64');
  if (bytes[0] !== SIG_TYPE_COSIGNATURE || bytes.length !== 33)
    throw new NoteError('Not an Ed25519 cosigner key (type 0x04, 32 bytes)');
  const publicKey = new Uint8Array(bytes.subarray(1));
  const keyHash = computeKeyHash(name, SIG_TYPE_COSIGNATURE, publicKey);
  if (keyHash.toString(16).padStart(8, '0') !== hashHex)
    throw new NoteError('The key hash does not match its key');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  const verifier: NoteVerifier & { lastTimestamp?: number } = {
    name,
    keyHash,
    verify(text, signature) {
      if (signature.length !== 72) return false;
      const timestamp = Buffer.from(signature).readBigUInt64BE(0);
      if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      const ok = verify(
        null,
        cosignedMessage(Buffer.from(text).toString('utf8'), Number(timestamp)),
        key,
        signature.subarray(8),
      );
      if (ok) verifier.lastTimestamp = Number(timestamp);
      return ok;
    },
  };
  return verifier;
}
