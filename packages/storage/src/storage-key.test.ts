import { describe, expect, it } from 'vitest';
import { InvalidStorageKeyError } from './errors';
import { assertStorageKey } from './storage-key';

describe('assertStorageKey', () => {
  it.each([
    'a',
    'blobs/sha256/ab/abcdef0123',
    'pool/main/h/hello/hello_2.10-3+deb12u1~bpo_amd64.deb',
    'dists/bookworm/main/binary-amd64/Packages.xz',
    '.hidden/..dots/...',
    'x'.repeat(255),
    Array.from({ length: 256 }, () => 'abc')
      .join('/')
      .slice(0, 1023),
  ])('accepts %s', (key) => {
    expect(() => assertStorageKey(key)).not.toThrow();
  });

  it.each([
    ['an empty key', ''],
    ['a parent escape', '../x'],
    ['a nested parent escape', 'a/../../b'],
    ['a lone ..', '..'],
    ['a . segment', 'a/./b'],
    ['an absolute path', '/etc/passwd'],
    ['an empty segment', 'a//b'],
    ['a trailing slash', 'a/'],
    ['percent-encoded dots', '%2e%2e/etc'],
    ['a backslash', 'a\\b'],
    ['a Windows escape', '..\\..\\windows'],
    ['a NUL byte', 'a\0b'],
    ['unicode letters', 'pool/ünïcode'],
    ['a unicode dot lookalike', '\u2024\u2024/x'],
    ['a fullwidth slash', 'a\uff0fb'],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['a colon', 'C:/x'],
    ['a # (reserved for temporary files)', '.#tmp-x'],
    ['a key over 1024 characters', 'a/'.repeat(512) + 'b'],
    ['a segment over 255 characters', 'x'.repeat(256)],
  ])('rejects %s', (_label, key) => {
    expect(() => assertStorageKey(key)).toThrow(InvalidStorageKeyError);
  });

  it('rejects non-strings', () => {
    expect(() => assertStorageKey(undefined)).toThrow(InvalidStorageKeyError);
    expect(() => assertStorageKey(42)).toThrow(InvalidStorageKeyError);
  });

  it('gives a stable code and a readable message', () => {
    try {
      assertStorageKey('a/../../b');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_STORAGE_KEY', key: 'a/../../b' });
      expect((err as Error).message).toBe('invalid storage key "a/../../b": ".." segment');
    }
  });
});
