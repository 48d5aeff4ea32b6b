// Seals private signing keys at rest with a master key (AES-256-GCM, Node's crypto). Layout:
// version (1 byte) | nonce (12) | tag (16) | ciphertext; the AAD (e.g. the fingerprint) binds a sealed key to its row.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
export const MASTER_KEY_BYTES = 32;

/** A sealed key could not be produced or opened. The message never contains key material. */
export class KeyEnvelopeError extends Error {
  readonly code = 'KEY_ENVELOPE_ERROR';
  override readonly name = 'KeyEnvelopeError';
}

export function sealPrivateKey(privateKeyArmored: string, masterKey: Uint8Array, aad: string): Uint8Array {
  assertMasterKey(masterKey);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(VERSION, aad));
  const ciphertext = Buffer.concat([cipher.update(privateKeyArmored, 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), ciphertext]);
  return new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength);
}

export function openPrivateKey(sealed: Uint8Array, masterKey: Uint8Array, aad: string): string {
  assertMasterKey(masterKey);
  if (sealed.length <= HEADER_BYTES) throw new KeyEnvelopeError('Sealed key is truncated');
  const version = sealed[0];
  if (version !== VERSION) throw new KeyEnvelopeError(`Unsupported sealed key version ${version}`);
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', masterKey, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(version, aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // Node's message is generic, but ours is fixed so no future change can leak anything.
    throw new KeyEnvelopeError(
      'Sealed key cannot be opened: wrong master key, wrong context or altered data',
    );
  }
}

function additionalData(version: number, aad: string): Buffer {
  return Buffer.concat([Buffer.of(version), Buffer.from(aad, 'utf8')]);
}

function assertMasterKey(masterKey: Uint8Array): void {
  if (masterKey.length !== MASTER_KEY_BYTES) {
    throw new KeyEnvelopeError(`Master key must be ${MASTER_KEY_BYTES} bytes, got ${masterKey.length}`);
  }
}
