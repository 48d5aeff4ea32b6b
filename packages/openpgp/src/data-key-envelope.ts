// Envelope v2 for private keys at rest: each key sealed under its own 32-byte data key (AES-256-GCM), the data
// key stored beside it wrapped by a key-encryption key (the master key, or a KMS key). Re-wrapping replaces
// only the wrapped data key, never the sealed OpenPGP key. Layout:
//   0x02 | wrapping (1 byte: 1 master key, 2 AWS KMS) | u16 length | wrapped data key | nonce (12) | tag (16) | ciphertext
// Envelope v1 (key-envelope.ts: sealed directly under the master key) is still read.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyEnvelopeError, MASTER_KEY_BYTES, openPrivateKey } from './key-envelope';

export const DATA_KEY_BYTES = 32;
const VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type DataKeyWrapping = 'master-key' | 'aws-kms';
const WRAPPING_CODES: Record<DataKeyWrapping, number> = { 'master-key': 1, 'aws-kms': 2 };

export interface DataKeyEnvelope {
  wrapping: DataKeyWrapping;
  wrappedDataKey: Uint8Array;
  /** nonce | tag | ciphertext of the private key under the data key */
  sealed: Uint8Array;
}

/** The envelope format of stored bytes: 1 (sealed under the master key directly) or 2 (data key). */
export function envelopeVersion(bytes: Uint8Array): number {
  return bytes[0] ?? 0;
}

export function generateDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(DATA_KEY_BYTES));
}

/** Seals the text under the data key; the context (e.g. the fingerprint) binds the result to its row. */
export function sealWithDataKey(plaintext: string, dataKey: Uint8Array, context: string): Uint8Array {
  assertLength(dataKey, DATA_KEY_BYTES, 'Data key');
  return gcmSeal(Buffer.from(plaintext, 'utf8'), dataKey, `pallet:key:v2\n${context}`);
}

export function openWithDataKey(sealed: Uint8Array, dataKey: Uint8Array, context: string): string {
  assertLength(dataKey, DATA_KEY_BYTES, 'Data key');
  return Buffer.from(gcmOpen(sealed, dataKey, `pallet:key:v2\n${context}`)).toString('utf8');
}

/** Wraps a data key under the master key (AES-256-GCM; the context binds it to its row). */
export function wrapDataKeyWithMasterKey(
  dataKey: Uint8Array,
  masterKey: Uint8Array,
  context: string,
): Uint8Array {
  assertLength(masterKey, MASTER_KEY_BYTES, 'Master key');
  return gcmSeal(dataKey, masterKey, `pallet:data-key\n${context}`);
}

export function unwrapDataKeyWithMasterKey(
  wrapped: Uint8Array,
  masterKey: Uint8Array,
  context: string,
): Uint8Array {
  assertLength(masterKey, MASTER_KEY_BYTES, 'Master key');
  return gcmOpen(wrapped, masterKey, `pallet:data-key\n${context}`);
}

export function encodeDataKeyEnvelope(envelope: DataKeyEnvelope): Uint8Array {
  const length = envelope.wrappedDataKey.length;
  if (length === 0 || length > 0xffff) throw new KeyEnvelopeError('Wrapped data key has an invalid length');
  const header = Buffer.alloc(4);
  header[0] = VERSION;
  header[1] = WRAPPING_CODES[envelope.wrapping];
  header.writeUInt16BE(length, 2);
  return new Uint8Array(Buffer.concat([header, envelope.wrappedDataKey, envelope.sealed]));
}

export function decodeDataKeyEnvelope(bytes: Uint8Array): DataKeyEnvelope {
  if (bytes[0] !== VERSION) throw new KeyEnvelopeError(`Unsupported sealed key version ${bytes[0]}`);
  if (bytes.length < 4) throw new KeyEnvelopeError('Sealed key is truncated');
  const code = bytes[1];
  const wrapping = (Object.keys(WRAPPING_CODES) as DataKeyWrapping[]).find((w) => WRAPPING_CODES[w] === code);
  if (!wrapping) throw new KeyEnvelopeError(`Unknown data key wrapping ${code}`);
  const length = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt16BE(2);
  if (bytes.length <= 4 + length + NONCE_BYTES + TAG_BYTES)
    throw new KeyEnvelopeError('Sealed key is truncated');
  return {
    wrapping,
    wrappedDataKey: bytes.slice(4, 4 + length),
    sealed: bytes.slice(4 + length),
  };
}

function gcmSeal(plaintext: Uint8Array, key: Uint8Array, aad: string): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]));
}

function gcmOpen(sealed: Uint8Array, key: Uint8Array, aad: string): Uint8Array {
  if (sealed.length <= NONCE_BYTES + TAG_BYTES) throw new KeyEnvelopeError('Sealed data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    return new Uint8Array(
      Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]),
    );
  } catch {
    throw new KeyEnvelopeError('Sealed key cannot be opened: wrong key, wrong context or altered data');
  }
}

function assertLength(key: Uint8Array, bytes: number, what: string): void {
  if (key.length !== bytes) throw new KeyEnvelopeError(`${what} must be ${bytes} bytes, got ${key.length}`);
}

/** Opens a v1 envelope or a v2 envelope whose data key the master key wraps (no KMS involved). */
export function openSealedWithMasterKey(sealed: Uint8Array, masterKey: Uint8Array, context: string): string {
  if (envelopeVersion(sealed) === 1) return openPrivateKey(sealed, masterKey, context);
  const envelope = decodeDataKeyEnvelope(sealed);
  if (envelope.wrapping !== 'master-key')
    throw new KeyEnvelopeError(`The data key is wrapped by ${envelope.wrapping}`);
  return openWithDataKey(
    envelope.sealed,
    unwrapDataKeyWithMasterKey(envelope.wrappedDataKey, masterKey, context),
    context,
  );
}
