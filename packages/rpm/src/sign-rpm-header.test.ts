import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpmSigningError } from './errors';
import { parseRpm } from './parse-rpm';
import { measureRpmHead } from './rpm-head';
import { type RpmKeyAlgorithm, signRpmHeader } from './sign-rpm-header';
import { buildTestRpms, bytesChunks, type TestRpms } from './test-support/rpm-fixtures';

let rpms: TestRpms;
let dir: string;
let rsaKey: openpgp.PrivateKey;

beforeAll(async () => {
  rpms = buildTestRpms();
  dir = join(rpms.dir, 'sign');
  mkdirSync(join(dir, 'home'), { recursive: true });
  const { privateKey } = await openpgp.generateKey({
    type: 'rsa',
    rsaBits: 4096,
    userIDs: [{ name: 'Pallet RPM Test', email: 'rpm-test@example.org' }],
    format: 'object',
    config: { v6Keys: false },
  });
  rsaKey = privateKey;
}, 120_000);
afterAll(() => rpms?.cleanup());

function signer(key: openpgp.PrivateKey) {
  return async (mainHeader: Uint8Array) =>
    openpgp.sign({
      message: await openpgp.createMessage({ binary: mainHeader }),
      signingKeys: key,
      detached: true,
      format: 'binary',
      config: { preferredHashAlgorithm: openpgp.enums.hash.sha512 },
    });
}

/** Signs like a streaming caller would: read only the head, then append the untouched rest. */
async function signFile(
  bytes: Uint8Array,
  key: openpgp.PrivateKey,
  algo: RpmKeyAlgorithm,
): Promise<Uint8Array> {
  let measure = measureRpmHead(bytes.subarray(0, 10));
  while (!measure.complete) measure = measureRpmHead(bytes.subarray(0, measure.needBytes));
  const { newPrefix, mainHeaderOffset } = await signRpmHeader(
    bytes.subarray(0, measure.headLength),
    signer(key),
    algo,
  );
  const out = new Uint8Array(newPrefix.length + bytes.length - mainHeaderOffset);
  out.set(newPrefix);
  out.set(bytes.subarray(mainHeaderOffset), newPrefix.length);
  return out;
}

/** rpmkeys -K against a private rpm database holding only `key`'s public part. */
function checksig(file: string, key: openpgp.PrivateKey | undefined, name: string): string {
  const dbpath = join(dir, `db-${name}`);
  const env = { ...process.env, HOME: join(dir, 'home'), LC_ALL: 'C.UTF-8' };
  mkdirSync(dbpath, { recursive: true });
  if (key) {
    const pub = join(dir, `${name}.asc`);
    writeFileSync(pub, key.toPublic().armor());
    execFileSync('rpmkeys', ['--dbpath', dbpath, '--import', pub], { env });
  }
  try {
    return execFileSync('rpmkeys', ['--dbpath', dbpath, '-K', file], { env, encoding: 'utf8' }).trim();
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
  }
}

describe('signRpmHeader', () => {
  it('produces a package rpmkeys -K verifies with the imported RSA-4096 key', async () => {
    const original = new Uint8Array(readFileSync(rpms.noarch));
    expect(checksig(rpms.noarch, undefined, 'none')).toBe(`${rpms.noarch}: digests OK`);

    const signed = await signFile(original, rsaKey, 'rsa');
    const file = join(dir, 'signed.rpm');
    writeFileSync(file, signed);
    // Recorded for the report: "<file>: digests signatures OK"
    expect(checksig(file, rsaKey, 'rsa')).toBe(`${file}: digests signatures OK`);
    // Without the key, rpm reports the missing key instead.
    expect(checksig(file, undefined, 'nokey')).toBe(`${file}: digests SIGNATURES NOT OK`);

    // RESERVEDSPACE absorbed the signature: same size, same header range, body untouched.
    expect(signed.length).toBe(original.length);
    const before = await parseRpm(bytesChunks(original, 4096));
    const after = await parseRpm(bytesChunks(signed, 4096));
    expect(after.signatureTags).toEqual([268]);
    expect([after.headerStart, after.headerEnd]).toEqual([before.headerStart, before.headerEnd]);
  });

  it('re-signs an already signed package, replacing the old signature', async () => {
    const once = await signFile(new Uint8Array(readFileSync(rpms.x86)), rsaKey, 'rsa');
    const twice = await signFile(once, rsaKey, 'rsa');
    const file = join(dir, 'resigned.rpm');
    writeFileSync(file, twice);
    expect(checksig(file, rsaKey, 'rsa-again')).toBe(`${file}: digests signatures OK`);
    expect((await parseRpm(bytesChunks(twice, 4096))).signatureTags).toEqual([268]);
    expect(twice.length).toBe(once.length);
  });

  it('signs with a legacy Ed25519 (EdDSA) v4 key into tag 267', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'Pallet EdDSA Test', email: 'eddsa@example.org' }],
      format: 'object',
      config: { v6Keys: false },
    });
    const signed = await signFile(new Uint8Array(readFileSync(rpms.noarch)), privateKey, 'eddsa');
    const file = join(dir, 'eddsa.rpm');
    writeFileSync(file, signed);
    expect((await parseRpm(bytesChunks(signed, 4096))).signatureTags).toEqual([267]);
    // rpm 4.18 (Debian 12) verifies EdDSA header signatures.
    expect(checksig(file, privateKey, 'eddsa')).toBe(`${file}: digests signatures OK`);
  });

  it('refuses signer output rpm would reject', async () => {
    const head = new Uint8Array(readFileSync(rpms.noarch));
    const measured = measureRpmHead(head);
    if (!measured.complete) throw new Error('unreachable');
    const justHead = head.subarray(0, measured.headLength);
    const textSig = async (data: Uint8Array) =>
      openpgp.sign({
        message: await openpgp.createMessage({ text: new TextDecoder('latin1').decode(data) }),
        signingKeys: rsaKey,
        detached: true,
        format: 'binary',
      });
    await expect(signRpmHeader(justHead, textSig, 'rsa')).rejects.toThrow(
      'rpm needs a binary-document signature (type 0x00), got 0x1.',
    );
    await expect(signRpmHeader(justHead, signer(rsaKey), 'eddsa')).rejects.toBeInstanceOf(RpmSigningError);
    await expect(signRpmHeader(justHead, async () => new Uint8Array([1, 2, 3]), 'rsa')).rejects.toThrow(
      'The signature packet is too short.',
    );
    await expect(signRpmHeader(justHead.subarray(0, 500), signer(rsaKey), 'rsa')).rejects.toThrow(
      'The bytes given end before the end of the main header.',
    );
  });
});

describe('measureRpmHead', () => {
  it('asks for more bytes until it can place the main header', () => {
    const bytes = new Uint8Array(readFileSync(rpms.noarch));
    const first = measureRpmHead(bytes.subarray(0, 4));
    expect(first).toEqual({ complete: false, needBytes: 112 });
    const second = measureRpmHead(bytes.subarray(0, 112));
    expect(second.complete).toBe(false);
    if (second.complete) return;
    const third = measureRpmHead(bytes.subarray(0, second.needBytes));
    expect(third).toMatchObject({ complete: true, mainHeaderOffset: second.needBytes - 16 });
  });

  it('says "not an rpm" from the first byte', () => {
    expect(() => measureRpmHead(new Uint8Array([0x50, 0x4b]))).toThrow('The file is not an rpm package.');
  });
});
