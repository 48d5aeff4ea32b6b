// Checks InRelease, Release.gpg and raw signatures from this package with the real gpgv 2.2 (as apt runs it).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearsignText } from './clearsign-text';
import { detachSign } from './detach-sign';
import { generateSigningKey } from './generate-signing-key';
import { publicKeyToBinary } from './public-keyring';
import { gpgv, listPackets, makeTempDir, splitClearSignedLikeApt, statusLines } from './testing/gnupg';
import type { GeneratedKey } from './types';
import { verifyCleartext, verifyDetached } from './verify-signatures';

const RELEASE = [
  'Origin: Pallet',
  'Label: Pallet',
  'Suite: bookworm',
  'Codename: bookworm',
  'Date: Wed, 25 Nov 2026 18:00:00 UTC',
  'Architectures: amd64 arm64',
  'Components: main',
  'Acquire-By-Hash: yes',
  'SHA256:',
  ' 3f1a2d5c0e4b6a7980f1e2d3c4b5a69788f9e0d1c2b3a4958677a8b9c0d1e2f3     1234 main/binary-amd64/Packages',
  ' e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-arm64/Packages',
  '',
].join('\n');

let rsa: GeneratedKey;
let ed: GeneratedKey;
let keys: Record<'rsa4096' | 'ed25519', GeneratedKey>;

beforeAll(async () => {
  [rsa, ed] = await Promise.all([
    generateSigningKey({ name: 'Pallet RSA', email: 'rsa@example.org', algorithm: 'rsa4096' }),
    // With an expiry, so gpgv also checks the re-signed (non-critical expiry) self-signature.
    generateSigningKey({
      name: 'Pallet Ed',
      email: 'ed@example.org',
      algorithm: 'ed25519',
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    }),
  ]);
  keys = { rsa4096: rsa, ed25519: ed };
});

describe('signatures checked by gpgv', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  const keyringOf = (...k: GeneratedKey[]) => publicKeyToBinary(k.map((key) => key.publicKeyArmored));

  it.each(['rsa4096', 'ed25519'] as const)('InRelease signed with a %s key verifies', async (algorithm) => {
    const key = keys[algorithm];
    const inRelease = await clearsignText(RELEASE, [key.privateKeyArmored]);
    const result = gpgv(dir, await keyringOf(key), { InRelease: inRelease });
    expect(result.code).toBe(0);
    expect(statusLines(result, 'VALIDSIG')[0]).toContain(key.fingerprint);
  });

  it('lays InRelease out as gpg --clearsign does and apt parses it back to the Release text', async () => {
    const inRelease = await clearsignText(RELEASE, [rsa.privateKeyArmored]);
    expect(inRelease.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Pallet\n')).toBe(
      true,
    );
    expect(inRelease).not.toContain('\r');
    expect(inRelease).toContain('main/binary-arm64/Packages\n-----BEGIN PGP SIGNATURE-----\n');
    expect(inRelease.endsWith('-----END PGP SIGNATURE-----\n')).toBe(true);
    expect(splitClearSignedLikeApt(inRelease)).toBe(RELEASE);
  });

  it('dash-escapes lines starting with "-" and signs text with trailing spaces', async () => {
    const text =
      'Description: x\n-leading dash\n--- three\n-----BEGIN PGP SIGNATURE-----\ntrailing  \t\nend\n';
    const inRelease = await clearsignText(text, [ed.privateKeyArmored]);
    expect(inRelease).toContain('\n- -leading dash\n- --- three\n- -----BEGIN PGP SIGNATURE-----\n');
    // Trailing whitespace is not part of a text signature; openpgp.js (like gpg) drops it from the output.
    expect(splitClearSignedLikeApt(inRelease)).toBe(text.replace('trailing  \t', 'trailing'));
    const result = gpgv(dir, await keyringOf(ed), { InRelease: inRelease });
    expect(result.code).toBe(0);
    expect(statusLines(result, 'GOODSIG')).toHaveLength(1);
  });

  it('Release.gpg verifies against the exact Release bytes', async () => {
    const releaseGpg = await detachSign(RELEASE, [rsa.privateKeyArmored], { armor: true });
    expect(releaseGpg.startsWith('-----BEGIN PGP SIGNATURE-----\n')).toBe(true);
    const result = gpgv(dir, await keyringOf(rsa), { 'Release.gpg': releaseGpg, Release: RELEASE });
    expect(result.code).toBe(0);
    expect(statusLines(result, 'GOODSIG')).toHaveLength(1);
  });

  it('Release.gpg fails when one byte of Release changes', async () => {
    const releaseGpg = await detachSign(RELEASE, [rsa.privateKeyArmored, ed.privateKeyArmored], {
      armor: true,
    });
    const tampered = RELEASE.replace('Suite: bookworm', 'Suite: bookwork');
    const result = gpgv(dir, await keyringOf(rsa, ed), { 'Release.gpg': releaseGpg, Release: tampered });
    // gpgv stops at the first BAD signature (exit 1); apt treats any BADSIG as fatal.
    expect(result.code).toBe(1);
    expect(statusLines(result, 'BADSIG')).toHaveLength(1);
    expect(statusLines(result, 'GOODSIG')).toHaveLength(0);
  });

  it('a tampered InRelease fails', async () => {
    const inRelease = await clearsignText(RELEASE, [ed.privateKeyArmored]);
    const result = gpgv(dir, await keyringOf(ed), {
      InRelease: inRelease.replace('Label: Pallet', 'Label: Pa11et'),
    });
    expect(result.code).not.toBe(0);
    expect(statusLines(result, 'BADSIG')).toHaveLength(1);
  });

  describe.each([
    [
      'InRelease',
      async () => ({
        InRelease: await clearsignText(RELEASE, [rsa.privateKeyArmored, ed.privateKeyArmored]),
      }),
    ],
    [
      'Release.gpg',
      async () => ({
        'Release.gpg': await detachSign(RELEASE, [rsa.privateKeyArmored, ed.privateKeyArmored], {
          armor: true,
        }),
        Release: RELEASE,
      }),
    ],
  ] as const)('dual-signed %s (key rotation)', (_name, makeFiles) => {
    it.each(['rsa4096', 'ed25519'] as const)(
      'has a good signature for a keyring holding only the %s key',
      async (only) => {
        const files = await makeFiles();
        const result = gpgv(dir, await keyringOf(keys[only]), files);
        // gpgv exits 2 here (one signature cannot be checked); apt's gpgv method reads the status lines
        // instead and accepts ≥1 GOODSIG from an allowed key with no BADSIG, tolerating NO_PUBKEY.
        expect(result.code).toBe(2);
        expect(statusLines(result, 'GOODSIG')).toHaveLength(1);
        expect(statusLines(result, 'VALIDSIG')[0]).toContain(keys[only].fingerprint);
        expect(statusLines(result, 'BADSIG')).toHaveLength(0);
        expect(statusLines(result, 'NO_PUBKEY')).toHaveLength(1);
      },
    );

    it('verifies fully (exit 0, two good signatures) with both keys', async () => {
      const result = gpgv(dir, await keyringOf(rsa, ed), await makeFiles());
      expect(result.code).toBe(0);
      expect(statusLines(result, 'GOODSIG')).toHaveLength(2);
    });
  });

  it('makes a raw v4 binary-document signature packet for an RPM header, from exactly one key', async () => {
    const header = new Uint8Array([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0, 1, 2, 3, 0xff]);
    const packet = await detachSign(header, [rsa.privateKeyArmored], { armor: false });
    expect(packet).toBeInstanceOf(Uint8Array);
    expect(packet[0]! & 0x80).toBe(0x80); // a packet tag byte, not armor text
    const packets = listPackets(dir, packet);
    expect(packets.match(/:signature packet:/g)).toHaveLength(1);
    expect(packets).toMatch(/version 4, created \d+, md5len 0, sigclass 0x00/);
    expect(packets).toContain('digest algo 10');
    const result = gpgv(dir, await keyringOf(rsa), { 'header.sig': packet, header });
    expect(result.code).toBe(0);
    await expect(
      detachSign(header, [rsa.privateKeyArmored, ed.privateKeyArmored], { armor: false }),
    ).rejects.toThrow(/exactly one key/);
  });

  it('produces v4 SHA-512 signature packets: binary (0x00) detached, text (0x01) cleartext', async () => {
    const both = [rsa.privateKeyArmored, ed.privateKeyArmored];
    const detached = listPackets(dir, await detachSign(RELEASE, both, { armor: true }));
    // gpg --list-packets stops at the cleartext's literal data, so list the signature block alone.
    const inRelease = await clearsignText(RELEASE, both);
    const cleartext = listPackets(dir, inRelease.slice(inRelease.indexOf('-----BEGIN PGP SIGNATURE-----')));
    for (const [packets, sigclass] of [
      [detached, '0x00'],
      [cleartext, '0x01'],
    ] as const) {
      const versions = [...packets.matchAll(/version (\d+), created \d+, md5len 0, sigclass (0x\w\w)/g)];
      expect(versions.map((m) => [m[1], m[2]])).toEqual([
        ['4', sigclass],
        ['4', sigclass],
      ]);
      expect(packets.match(/digest algo (\d+)/g)).toEqual(['digest algo 10', 'digest algo 10']);
    }
  });
});

describe('verifyDetached / verifyCleartext (openpgp.js self-check)', () => {
  it('judges like apt: good + unknown key is valid, any bad signature is not', async () => {
    const both = [rsa.privateKeyArmored, ed.privateKeyArmored];
    const sig = await detachSign(RELEASE, both, { armor: true });
    const onlyEd = await verifyDetached(RELEASE, sig, [ed.publicKeyArmored]);
    expect(onlyEd.valid).toBe(true);
    expect(onlyEd.signatures).toEqual(
      expect.arrayContaining([
        { keyId: ed.keyId, status: 'good' },
        { keyId: rsa.keyId, status: 'unknown-key' },
      ]),
    );
    const tampered = await verifyDetached(`${RELEASE} `, sig, [ed.publicKeyArmored, rsa.publicKeyArmored]);
    expect(tampered.valid).toBe(false);
    expect(tampered.signatures.map((s) => s.status)).toEqual(['bad', 'bad']);
    expect(
      (await verifyDetached(RELEASE, sig, [rsa.publicKeyArmored])).signatures.map((s) => s.status),
    ).toEqual(['good', 'unknown-key']);
  });

  it('verifies raw signatures and returns the cleartext', async () => {
    const raw = await detachSign(new Uint8Array([1, 2, 3]), [ed.privateKeyArmored], { armor: false });
    expect((await verifyDetached(new Uint8Array([1, 2, 3]), raw, [ed.publicKeyArmored])).valid).toBe(true);
    const inRelease = await clearsignText(RELEASE, [rsa.privateKeyArmored]);
    const checked = await verifyCleartext(inRelease, [rsa.publicKeyArmored]);
    expect(checked.valid).toBe(true);
    expect(`${checked.text}\n`).toBe(RELEASE);
  });

  it('refuses no keys, garbage and public keys as signing keys without echoing them', async () => {
    await expect(clearsignText(RELEASE, [])).rejects.toThrow(/At least one signing key/);
    await expect(clearsignText(RELEASE, ['not a key SECRET'])).rejects.toThrow(
      /^Signing key #1 is not an armored OpenPGP private key$/,
    );
    await expect(detachSign(RELEASE, [rsa.publicKeyArmored], { armor: true })).rejects.toThrow(
      /^Signing key #1/,
    );
  });
});
