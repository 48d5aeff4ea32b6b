// Checks key custody and life-cycle helpers: the data-key envelope (v2), moving a key's expiry (gpgv and
// rpm accept the re-signed key; signatures after the old expiry verify) and the import policy.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptKey, generateKey, readPrivateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImportedKey, KeyPolicyError } from './check-imported-key';
import { clearsignText } from './clearsign-text';
import {
  decodeDataKeyEnvelope,
  encodeDataKeyEnvelope,
  generateDataKey,
  openWithDataKey,
  sealWithDataKey,
  unwrapDataKeyWithMasterKey,
  wrapDataKeyWithMasterKey,
} from './data-key-envelope';
import { generateSigningKey } from './generate-signing-key';
import { KeyEnvelopeError } from './key-envelope';
import { publicKeyToBinary } from './public-keyring';
import { setKeyExpiry } from './set-key-expiry';
import { gpgv, listPackets, makeTempDir, rpmImport, statusLines } from './testing/gnupg';
import type { GeneratedKey } from './types';

const DAY = 86_400_000;
let ed: GeneratedKey;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ dir, cleanup } = makeTempDir());
  ed = await generateSigningKey({
    name: 'Pallet Repo',
    email: 'repo@example.org',
    algorithm: 'ed25519',
    expiresAt: new Date(Date.now() + 10 * DAY),
  });
});
afterAll(() => cleanup());

describe('data-key envelope (v2)', () => {
  it('round-trips; re-wrapping changes only the wrapped data key', () => {
    const master = new Uint8Array(randomBytes(32));
    const next = new Uint8Array(randomBytes(32));
    const dataKey = generateDataKey();
    const sealed = sealWithDataKey('PRIVATE', dataKey, 'FPR');
    const bytes = encodeDataKeyEnvelope({
      wrapping: 'master-key',
      wrappedDataKey: wrapDataKeyWithMasterKey(dataKey, master, 'FPR'),
      sealed,
    });
    expect(bytes[0]).toBe(2);
    const envelope = decodeDataKeyEnvelope(bytes);
    const unwrapped = unwrapDataKeyWithMasterKey(envelope.wrappedDataKey, master, 'FPR');
    expect(openWithDataKey(envelope.sealed, unwrapped, 'FPR')).toBe('PRIVATE');
    const rewrapped = encodeDataKeyEnvelope({
      ...envelope,
      wrappedDataKey: wrapDataKeyWithMasterKey(unwrapped, next, 'FPR'),
    });
    expect(Buffer.from(decodeDataKeyEnvelope(rewrapped).sealed)).toEqual(Buffer.from(sealed));
    expect(() => unwrapDataKeyWithMasterKey(envelope.wrappedDataKey, next, 'FPR')).toThrow(KeyEnvelopeError);
    expect(() => unwrapDataKeyWithMasterKey(envelope.wrappedDataKey, master, 'OTHER')).toThrow(
      KeyEnvelopeError,
    );
    expect(() => openWithDataKey(envelope.sealed, unwrapped, 'OTHER')).toThrow(KeyEnvelopeError);
  });
});

describe('setKeyExpiry', () => {
  it('keeps the fingerprint, moves the expiry, and signatures after the old expiry verify in gpgv', async () => {
    const newExpiry = new Date(Date.now() + 400 * DAY);
    const extended = await setKeyExpiry(ed.privateKeyArmored, { expiresAt: newExpiry });
    expect(extended.fingerprint).toBe(ed.fingerprint);
    expect(Math.abs(extended.expiresAt.getTime() - newExpiry.getTime())).toBeLessThan(1000);
    const packets = listPackets(dir, extended.publicKeyArmored);
    expect(packets).toMatch(/hashed subpkt 9 len 4 \(key expires after 1y/);
    expect(packets).not.toContain('critical hashed subpkt 9');
    // A signature dated after the old expiry: refused with the old key, accepted with the re-signed one.
    const later = new Date(Date.now() + 20 * DAY);
    await expect(clearsignText('hello\n', [ed.privateKeyArmored], { date: later })).rejects.toThrow();
    const signed = await clearsignText('hello\n', [extended.privateKeyArmored], { date: later });
    const result = gpgv(dir, await publicKeyToBinary(extended.publicKeyArmored), { InRelease: signed });
    expect(statusLines(result, 'GOODSIG')).toHaveLength(1);
    expect(statusLines(result, 'VALIDSIG')).toHaveLength(1);
  });

  it('produces a key rpm 4.18 still imports', async () => {
    const extended = await setKeyExpiry(ed.privateKeyArmored, { expiresAt: new Date(Date.now() + 50 * DAY) });
    const { importResult } = rpmImport(dir, extended.publicKeyArmored);
    expect(importResult.stderr).toBe('');
    expect(importResult.code).toBe(0);
  });

  it('refuses an expiry in the past', async () => {
    await expect(
      setKeyExpiry(ed.privateKeyArmored, { expiresAt: new Date(Date.now() - DAY) }),
    ).rejects.toThrow(/future/);
  });
});

describe('checkImportedKey', () => {
  async function expectRefused(armored: string, reason: RegExp, passphrase?: string) {
    const error = await checkImportedKey(armored, passphrase).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyPolicyError);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('PRIVATE KEY');
    if (passphrase) expect((error as Error).message).not.toContain(passphrase);
  }

  it('accepts a passphrase-protected gpg-made Ed25519 key and returns it unlocked', () => {
    const home = join(dir, 'gnupg-import');
    spawnSync('mkdir', ['-m', '700', '-p', home]);
    const env = { ...process.env, GNUPGHOME: home };
    const gen = spawnSync(
      'gpg',
      [
        '--batch',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        'correct horse',
        '--quick-gen-key',
        'BYO <byo@example.org>',
        'ed25519',
        'sign',
        '1y',
      ],
      { env, encoding: 'utf8' },
    );
    expect(gen.status, gen.stderr).toBe(0);
    const exported = spawnSync(
      'gpg',
      [
        '--batch',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        'correct horse',
        '--armor',
        '--export-secret-keys',
        'byo@example.org',
      ],
      { env, encoding: 'utf8' },
    );
    writeFileSync(join(dir, 'byo.asc'), exported.stdout);
    return (async () => {
      const armored = readFileSync(join(dir, 'byo.asc'), 'utf8');
      await expectRefused(armored, /passphrase-protected/);
      await expectRefused(armored, /does not unlock/, 'wrong horse');
      const imported = await checkImportedKey(armored, 'correct horse');
      expect(imported.algorithm).toBe('ed25519');
      expect(imported.expiresAt).toBeInstanceOf(Date);
      expect((await readPrivateKey({ armoredKey: imported.privateKeyArmored })).isDecrypted()).toBe(true);
      expect(imported.publicKeyArmored).toContain('PUBLIC KEY BLOCK');
    })();
  });

  it('refuses RSA-2048, v6 keys, expired keys and non-keys with a reason', async () => {
    const weak = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'weak' }],
      format: 'armored',
      config: { v6Keys: false },
    });
    await expectRefused(weak.privateKey, /at least 3072 bits \(this one has 2048\)/);
    const v6 = await generateKey({ type: 'curve25519', userIDs: [{ name: 'v6' }], config: { v6Keys: true } });
    await expectRefused(v6.privateKey, /Version 6 keys are refused/);
    const old = new Date(Date.now() - 30 * DAY);
    const expired = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'old' }],
      date: old,
      keyExpirationTime: 86400,
      config: { v6Keys: false },
    });
    await expectRefused(expired.privateKey, /expired, revoked/);
    await expectRefused('not a key', /Not an armored OpenPGP private key/);
    const locked = await encryptKey({
      privateKey: await readPrivateKey({ armoredKey: ed.privateKeyArmored }),
      passphrase: 'pw-secret',
    });
    const imported = await checkImportedKey(locked.armor(), 'pw-secret');
    expect(imported.fingerprint).toBe(ed.fingerprint);
  });
});
