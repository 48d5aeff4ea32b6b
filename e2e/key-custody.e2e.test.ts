// Bring-your-own-key and expiry through HTTP like users do, then a scan: after importing a
// passphrase-protected key, extending it and publishing with it, no private key material (nor the
// passphrase or the master key) appears in any API answer, audit detail, log line or database column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalletClient } from '@pallet/api-client';
import { verifyCleartext } from '@pallet/openpgp';
import { encryptKey, generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeb } from './support/deb-builder';
import { retryStaleConnections } from './support/fetch-retry';
import { type RunningPallet, startPallet } from './support/server';

retryStaleConnections();

const ORG = 'byo';
const REPO = 'keys';
const DAY = 86_400_000;
const PASSPHRASE = 'byo-e2e-passphrase-4b1d';
let pallet: RunningPallet;
let work: string;
let token: string;
const answers: string[] = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${pallet.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  pallet = await startPallet('custody');
  work = mkdtempSync(join(tmpdir(), 'pallet-custody-e2e-'));
}, 120_000);

afterAll(async () => {
  await pallet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('bring your own key, expiry, and no private key material anywhere', () => {
  let privateKeyArmored: string;
  let lockedArmored: string;
  let secretScalar: Buffer;
  let fingerprint: string;

  it('imports a passphrase-protected key over HTTP: 201, active, the generated key retiring', async () => {
    const signup = await new PalletClient(pallet.baseUrl).signup(
      'owner@byo.test',
      'correct horse battery',
      ORG,
    );
    token = signup.token;
    expect((await call('POST', `/orgs/${ORG}/repos`, { name: REPO, keyAlgorithm: 'ed25519' })).status).toBe(
      201,
    );
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'BYO Signing', email: 'signing@byo.test' }],
      keyExpirationTime: 200 * 86400,
      format: 'object',
      config: { v6Keys: false },
    });
    privateKeyArmored = privateKey.armor();
    secretScalar = Buffer.from(
      (privateKey.keyPacket as unknown as { privateParams: { seed: Uint8Array } }).privateParams.seed,
    );
    lockedArmored = (await encryptKey({ privateKey, passphrase: PASSPHRASE })).armor();
    fingerprint = privateKey.getFingerprint().toUpperCase();

    const weak = await call('POST', `/orgs/${ORG}/repos/${REPO}/keys/import`, {
      armoredPrivateKey: lockedArmored,
      passphrase: 'wrong passphrase',
    });
    expect(weak.status).toBe(422);
    expect(weak.body.error).toMatchObject({
      code: 'key_policy',
      message: 'The passphrase does not unlock the key.',
    });

    const imported = await call('POST', `/orgs/${ORG}/repos/${REPO}/keys/import`, {
      armoredPrivateKey: lockedArmored,
      passphrase: PASSPHRASE,
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      fingerprint,
      status: 'active',
      origin: 'imported',
      expiryWarning: null,
    });
    const keys = await call('GET', `/orgs/${ORG}/repos/${REPO}/keys`);
    expect(keys.body.map((k: { status: string }) => k.status).sort()).toEqual(['active', 'retiring']);
  });

  it('publishes with the imported key and extends its expiry, republishing the public key', async () => {
    const api = new PalletClient(pallet.baseUrl).withToken(token);
    const deb = buildDeb(work, { name: 'byo-hello', version: '1.0-1' });
    const upload = await api.uploadPackage(ORG, REPO, deb, { distribution: 'debian/bookworm' });
    expect((await api.waitForPackage(ORG, REPO, upload.data.id)).status).toBe('published');
    const base = `${pallet.baseUrl}/dl/${ORG}/${REPO}`;
    const inRelease = await (await fetch(`${base}/deb/debian/dists/bookworm/InRelease`)).text();
    const publicKeys = await (await fetch(`${base}/gpg.asc`)).text();
    // Signed by both keys during the transition (the imported active one and the retiring generated one).
    const check = await verifyCleartext(inRelease, [publicKeys]);
    expect(check.valid).toBe(true);
    expect(check.signatures).toHaveLength(2);

    const target = new Date(Date.now() + 500 * DAY);
    const extended = await call('PATCH', `/orgs/${ORG}/repos/${REPO}/keys/${fingerprint}`, {
      expiresAt: target.toISOString(),
    });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ fingerprint, expiresInDays: 499 });
    const bad = await call('PATCH', `/orgs/${ORG}/repos/${REPO}/keys/${fingerprint}`, {
      expiresAt: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    // The served key now carries the new expiry (gpg reads it from the re-signed self-signature).
    const served = await (await fetch(`${base}/gpg.asc`)).text();
    const home = join(work, 'gnupg');
    spawnSync('mkdir', ['-m', '700', '-p', home]);
    const shown = spawnSync('gpg', ['--batch', '--with-colons', '--show-keys'], {
      input: served,
      env: { ...process.env, GNUPGHOME: home },
      encoding: 'utf8',
    });
    const pub = shown.stdout
      .split('\n')
      .find((l) => l.startsWith('pub:') && l.includes(fingerprint.slice(-16)));
    expect(Number(pub?.split(':')[6]) * 1000).toBe(Math.floor(target.getTime() / 1000) * 1000);
    answers.push(JSON.stringify((await call('GET', `/orgs/${ORG}/audit`)).body));
  });

  it('leaves no private key material, passphrase or master key in answers, audit, logs or the database', async () => {
    const dump = spawnSync('pg_dump', ['--data-only', pallet.instance.env.DATABASE_URL!], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain(fingerprint);
    const logs = ['web.log', 'worker.log'].map((f) => readFileSync(join(pallet.instance.dir, f), 'utf8'));
    const haystacks = { answers: answers.join('\n'), database: dump.stdout, logs: logs.join('\n') };
    const armorLine = (armored: string) =>
      armored
        .split('\n')
        .filter((l) => /^[A-Za-z0-9+/=]{60,}$/.test(l))
        .at(-2)!;
    const masterKey = pallet.instance.env.PALLET_MASTER_KEY!;
    const needles = {
      'armor header': 'PRIVATE KEY BLOCK',
      'unlocked key armor': armorLine(privateKeyArmored),
      'locked key armor': armorLine(lockedArmored),
      'secret scalar (hex)': secretScalar.toString('hex'),
      'secret scalar (base64)': secretScalar.toString('base64'),
      passphrase: PASSPHRASE,
      'master key': masterKey,
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [what, needle] of Object.entries(needles)) {
        expect(text.includes(needle), `${what} found in ${where}`).toBe(false);
      }
    }
  });
});
