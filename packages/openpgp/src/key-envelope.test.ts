// Checks the AES-256-GCM key envelope: round trip, tamper/wrong-key/wrong-context failures, no leaks.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyEnvelopeError, openPrivateKey, sealPrivateKey } from './key-envelope';

const PRIVATE_KEY =
  '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxVgEZ0secretsecretsecret\n-----END PGP PRIVATE KEY BLOCK-----\n';
const FINGERPRINT = '8B6E17BB5B625C0390B079396586F35CD5792A6D';
const masterKey = new Uint8Array(randomBytes(32));

function expectEnvelopeError(open: () => unknown): void {
  let caught: unknown;
  try {
    open();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyEnvelopeError);
  const error = caught as KeyEnvelopeError;
  expect(error.code).toBe('KEY_ENVELOPE_ERROR');
  expect(error.message).not.toContain('secret');
  expect(error.message).not.toContain(Buffer.from(masterKey).toString('hex'));
}

describe('sealPrivateKey / openPrivateKey', () => {
  it('round-trips and writes version | nonce | tag | ciphertext', () => {
    const sealed = sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + 16 + Buffer.byteLength(PRIVATE_KEY));
    expect(openPrivateKey(sealed, masterKey, FINGERPRINT)).toBe(PRIVATE_KEY);
  });

  it('uses a fresh nonce each time and never contains the plaintext', () => {
    const a = Buffer.from(sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT));
    const b = Buffer.from(sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.includes('PRIVATE KEY')).toBe(false);
    expect(a.includes('secret')).toBe(false);
  });

  it('refuses the wrong master key', () => {
    const sealed = sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT);
    expectEnvelopeError(() => openPrivateKey(sealed, new Uint8Array(randomBytes(32)), FINGERPRINT));
  });

  it('refuses another context (AAD), e.g. a sealed key copied to another key row', () => {
    const sealed = sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT);
    expectEnvelopeError(() => openPrivateKey(sealed, masterKey, FINGERPRINT.replace('8B', '8C')));
  });

  it.each([
    ['the version', 0],
    ['the nonce', 5],
    ['the tag', 20],
    ['the ciphertext', 40],
  ])('refuses a sealed key with a byte of %s altered', (_part, index) => {
    const sealed = sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT);
    sealed[index] = (sealed[index] ?? 0) ^ 0x01;
    expectEnvelopeError(() => openPrivateKey(sealed, masterKey, FINGERPRINT));
  });

  it('refuses truncated input and master keys that are not 32 bytes', () => {
    const sealed = sealPrivateKey(PRIVATE_KEY, masterKey, FINGERPRINT);
    expectEnvelopeError(() => openPrivateKey(sealed.subarray(0, 29), masterKey, FINGERPRINT));
    expectEnvelopeError(() => openPrivateKey(sealed.subarray(0, sealed.length - 1), masterKey, FINGERPRINT));
    expectEnvelopeError(() => sealPrivateKey(PRIVATE_KEY, masterKey.subarray(0, 16), FINGERPRINT));
  });
});
