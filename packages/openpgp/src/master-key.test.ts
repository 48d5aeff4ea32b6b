// Checks master-key parsing (hex or base64 of 32 bytes) and that errors never echo the value.
import { describe, expect, it } from 'vitest';
import { KeyEnvelopeError } from './key-envelope';
import { generateMasterKey, parseMasterKey } from './master-key';

const BYTES = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

describe('parseMasterKey', () => {
  it('accepts 64 hex digits (either case, surrounding whitespace)', () => {
    const hex = Buffer.from(BYTES).toString('hex');
    expect(parseMasterKey(hex)).toEqual(BYTES);
    expect(parseMasterKey(` ${hex.toUpperCase()}\n`)).toEqual(BYTES);
  });

  it('accepts base64 and base64url of 32 bytes', () => {
    expect(parseMasterKey(Buffer.from(BYTES).toString('base64'))).toEqual(BYTES);
    expect(parseMasterKey(Buffer.from(BYTES).toString('base64url'))).toEqual(BYTES);
  });

  it.each([
    ['empty', ''],
    ['short hex', 'ab'.repeat(16)],
    ['long hex', 'ab'.repeat(33)],
    ['base64 of 16 bytes', Buffer.alloc(16, 1).toString('base64')],
    ['base64 of 48 bytes', Buffer.alloc(48, 1).toString('base64')],
    ['a passphrase', 'correct horse battery staple SECRETVALUE'],
  ])('rejects %s without echoing it', (_name, value) => {
    expect(() => parseMasterKey(value)).toThrow(KeyEnvelopeError);
    try {
      parseMasterKey(value);
    } catch (error) {
      expect((error as Error).message).toMatch(/^Master key must be 32 bytes/);
      if (value) expect((error as Error).message).not.toContain(value);
    }
  });
});

describe('generateMasterKey', () => {
  it('makes distinct base64 keys that parseMasterKey accepts', () => {
    const a = generateMasterKey();
    expect(a).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(parseMasterKey(a)).toHaveLength(32);
    expect(generateMasterKey()).not.toBe(a);
  });
});
