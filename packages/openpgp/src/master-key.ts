// Parses and generates the 32-byte master key that seals signing keys (configured as 64 hex digits
// or base64). Errors describe the expected shape and never echo the value.
import { randomBytes } from 'node:crypto';
import { KeyEnvelopeError, MASTER_KEY_BYTES } from './key-envelope';

const HEX = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters plus one '=' pad; url-safe alphabet and missing pad are accepted too.
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

export function parseMasterKey(text: string): Uint8Array {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (HEX.test(value)) bytes = Buffer.from(value, 'hex');
  else if (BASE64.test(value)) bytes = Buffer.from(value, 'base64');
  if (bytes?.length !== MASTER_KEY_BYTES) {
    throw new KeyEnvelopeError(
      `Master key must be ${MASTER_KEY_BYTES} bytes written as 64 hex digits or base64 (got ${value.length} characters)`,
    );
  }
  return new Uint8Array(bytes);
}

/** A fresh master key as base64 (what `openssl rand -base64 32` prints). */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}
