// Checks generated keys: v4 packets gpg can read, facts readKeyInfo reports, keyrings, and rpm --import.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from './generate-signing-key';
import { combineArmoredPublicKeys, publicKeyToBinary, readPublicKeys } from './public-keyring';
import { readKeyInfo } from './read-key-info';
import { hasCommand, listPackets, makeTempDir, rpmImport } from './testing/gnupg';
import type { GeneratedKey } from './types';

const NOW = new Date('2026-01-15T10:20:30.789Z');
const EXPIRES = new Date('2029-01-15T10:20:30.000Z');

let rsa: GeneratedKey;
let ed: GeneratedKey;
const timings: Record<string, number> = {};

beforeAll(async () => {
  const timed = async (algorithm: 'rsa4096' | 'ed25519') => {
    const started = performance.now();
    const key = await generateSigningKey({
      name: 'Pallet Repo',
      email: 'repo@example.org',
      algorithm,
      now: NOW,
      expiresAt: EXPIRES,
    });
    timings[algorithm] = Math.round(performance.now() - started);
    return key;
  };
  rsa = await timed('rsa4096');
  ed = await timed('ed25519');
  console.info(`key generation: rsa4096 ${timings.rsa4096} ms, ed25519 ${timings.ed25519} ms`);
});

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

describe('generateSigningKey', () => {
  it.each([
    ['rsa4096', 4096],
    ['ed25519', undefined],
  ] as const)('makes a %s key with the requested validity and ids', (algorithm, bits) => {
    const key = algorithm === 'rsa4096' ? rsa : ed;
    expect(key.algorithm).toBe(algorithm);
    expect(key.bits).toBe(bits);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(key.keyId).toBe(key.fingerprint.slice(24));
    expect(key.createdAt).toEqual(new Date('2026-01-15T10:20:30.000Z'));
    expect(key.expiresAt).toEqual(EXPIRES);
    expect(key.publicKeyArmored).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n/);
    expect(key.privateKeyArmored).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----\n/);
  });

  it('rejects an expiry that is not after the creation time', async () => {
    await expect(
      generateSigningKey({
        name: 'X',
        email: 'x@example.org',
        algorithm: 'ed25519',
        now: NOW,
        expiresAt: NOW,
      }),
    ).rejects.toThrow(/expiresAt must be after/);
  });

  it('writes v4 packets: one signing primary key, no subkeys, SHA-512 self-signature', () => {
    for (const [key, algo] of [
      [rsa, 1],
      [ed, 22],
    ] as const) {
      const packets = listPackets(dir, key.publicKeyArmored);
      expect(packets).toContain(
        `:public key packet:\n\tversion 4, algo ${algo}, created ${NOW.getTime() / 1000 - 0.789}`,
      );
      expect(packets).not.toContain('subkey packet');
      expect(packets).toMatch(/version 4, created \d+, md5len 0, sigclass 0x13\n\tdigest algo 10,/);
      expect(packets).toContain('key flags: 03'); // certify + sign
      // rpm ≤ 4.19 refuses keys with a critical key-expiration subpacket (see rpm-compatible-expiry.ts).
      expect(packets).toMatch(/\n\thashed subpkt 9 len 4 \(key expires after 3y/);
      expect(packets).not.toContain('critical hashed subpkt 9');
    }
    expect(listPackets(dir, ed.publicKeyArmored)).toContain('ed25519 (1.3.6.1.4.1.11591.15.1)');
  });
});

describe('readKeyInfo', () => {
  it.each(['rsa4096', 'ed25519'] as const)('reports the facts of a generated %s key', async (algorithm) => {
    const key = algorithm === 'rsa4096' ? rsa : ed;
    expect(await readKeyInfo(key.publicKeyArmored)).toEqual({
      fingerprint: key.fingerprint,
      keyId: key.keyId,
      algorithm,
      bits: key.bits,
      version: 4,
      createdAt: key.createdAt,
      expiresAt: EXPIRES,
      userIds: ['Pallet Repo <repo@example.org>'],
    });
  });

  it('rejects text that is not a key without echoing it', async () => {
    await expect(readKeyInfo('hello SECRET')).rejects.toThrow(/^Not an armored OpenPGP public key$/);
  });
});

describe('public keyrings', () => {
  it('publicKeyToBinary drops secret material and concatenates keys', async () => {
    const ring = await publicKeyToBinary([rsa.privateKeyArmored, ed.publicKeyArmored]);
    const keys = await readPublicKeys([
      await combineArmoredPublicKeys([rsa.publicKeyArmored, ed.publicKeyArmored]),
    ]);
    expect(keys.map((k) => k.getFingerprint().toUpperCase())).toEqual([rsa.fingerprint, ed.fingerprint]);
    if (hasCommand('gpg')) {
      const packets = listPackets(dir, ring);
      expect(packets.match(/:public key packet:/g)).toHaveLength(2);
      expect(packets).not.toContain('secret key packet');
    }
  });
});

describe('rpm --import (rpm 4.18)', () => {
  it.each(['rsa4096', 'ed25519'] as const)('imports the armored %s public key', (algorithm) => {
    const key = algorithm === 'rsa4096' ? rsa : ed;
    const { importResult, installed } = rpmImport(dir, key.publicKeyArmored);
    expect(importResult.stderr).toBe('');
    expect(importResult.code).toBe(0);
    // rpm names the key gpg-pubkey-<short key id>-<creation time hex>.
    const created = (key.createdAt.getTime() / 1000).toString(16);
    expect(installed.trim()).toBe(
      `${key.keyId.slice(8).toLowerCase()}-${created} Pallet Repo <repo@example.org> public key`,
    );
  });
});
