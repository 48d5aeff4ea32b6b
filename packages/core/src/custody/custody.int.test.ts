// Key custody against the real database: per-key data keys, legacy (v1) envelopes still open and move to
// v2, master-key rotation re-wraps data keys without touching the sealed OpenPGP keys, and AWS KMS wrapping
// through the real @aws-sdk/client-kms against the protocol-level stand-in (test/kms-stand-in.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Config, loadConfig } from '@pallet/config';
import {
  clearsignText,
  decodeDataKeyEnvelope,
  envelopeVersion,
  sealPrivateKey,
  verifyCleartext,
} from '@pallet/openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsStandIn, startKmsStandIn } from '../../../../test/kms-stand-in';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { signUp } from '../org/sign-up';
import { createRepository } from '../repository/create-repository';
import { loadSigningKeys } from '../signing-key/load-signing-keys';
import { authenticateToken } from '../token/authenticate-token';
import { rewrapSealedKeys } from './rewrap-sealed-keys';

let ctx: CoreContext;
let actor: Actor;
let kms: KmsStandIn;
const oldMaster = () => process.env.PALLET_MASTER_KEY!;
const newMaster = randomBytes(32).toString('hex');
const thirdMaster = randomBytes(32).toString('base64');

function withConfig(env: Record<string, string | undefined>): CoreContext {
  return { ...ctx, config: loadConfig({ ...process.env, ...env }) as Config };
}

async function sealedRows() {
  return ctx.db.signingKey.findMany({ orderBy: { createdAt: 'asc' } });
}

async function signsAndVerifies(c: CoreContext, repositoryId: string) {
  const keys = await loadSigningKeys(c, repositoryId);
  const signed = await clearsignText(
    'Origin: test\n',
    keys.map((k) => k.privateKeyArmored),
  );
  expect(
    (
      await verifyCleartext(
        signed,
        keys.map((k) => k.publicKeyArmored),
      )
    ).valid,
  ).toBe(true);
}

beforeAll(async () => {
  ctx = createCoreContext(loadConfig());
  kms = await startKmsStandIn();
  process.env.AWS_ACCESS_KEY_ID = 'AKIDSTANDIN';
  process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-secret';
  const s = await signUp(ctx, {
    email: 'keys@example.test',
    password: 'long enough password',
    org: 'custody',
  });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'custody', { name: 'one', keyAlgorithm: 'ed25519' });
  await createRepository(ctx, actor, 'custody', { name: 'legacy', keyAlgorithm: 'ed25519' });
});

afterAll(async () => {
  await kms.close();
  await ctx.queues.close();
});

describe('key custody', () => {
  it('seals each new key under its own data key wrapped by the master key (envelope v2)', async () => {
    const rows = await sealedRows();
    expect(rows.map((r) => envelopeVersion(new Uint8Array(r.sealedPrivateKey)))).toEqual([2, 2]);
    const wrapped = rows.map((r) => decodeDataKeyEnvelope(new Uint8Array(r.sealedPrivateKey)));
    expect(wrapped.map((w) => w.wrapping)).toEqual(['master-key', 'master-key']);
    expect(Buffer.from(wrapped[0]!.wrappedDataKey)).not.toEqual(Buffer.from(wrapped[1]!.wrappedDataKey));
    for (const r of rows)
      expect(Buffer.from(r.sealedPrivateKey).toString('latin1')).not.toContain('PRIVATE KEY');
  });

  it('still opens a key sealed in the old v1 envelope (directly under the master key)', async () => {
    const legacy = (await sealedRows())[1]!;
    const [unsealed] = await loadSigningKeys(ctx, legacy.repositoryId);
    const v1 = sealPrivateKey(
      unsealed!.privateKeyArmored,
      new Uint8Array(Buffer.from(oldMaster(), 'hex')),
      legacy.fingerprint,
    );
    await ctx.db.signingKey.update({ where: { id: legacy.id }, data: { sealedPrivateKey: Buffer.from(v1) } });
    expect((await loadSigningKeys(ctx, legacy.repositoryId))[0]!.privateKeyArmored).toBe(
      unsealed!.privateKeyArmored,
    );
  });

  it('rotates the master key: the previous key opens until rewrap, rewrap keeps the sealed OpenPGP keys', async () => {
    const before = await sealedRows();
    const rotating = withConfig({ PALLET_MASTER_KEY: newMaster, PALLET_PREVIOUS_MASTER_KEY: oldMaster() });
    for (const r of before) await signsAndVerifies(rotating, r.repositoryId);
    const onlyNew = withConfig({ PALLET_MASTER_KEY: newMaster, PALLET_PREVIOUS_MASTER_KEY: undefined });
    await expect(loadSigningKeys(onlyNew, before[0]!.repositoryId)).rejects.toThrow(/cannot be opened/);

    expect(await rewrapSealedKeys(rotating)).toMatchObject({ rewrapped: 1, upgraded: 1, unchanged: 0 });
    const after = await sealedRows();
    const v2Before = decodeDataKeyEnvelope(new Uint8Array(before[0]!.sealedPrivateKey));
    const v2After = decodeDataKeyEnvelope(new Uint8Array(after[0]!.sealedPrivateKey));
    expect(Buffer.from(v2After.sealed)).toEqual(Buffer.from(v2Before.sealed));
    expect(Buffer.from(v2After.wrappedDataKey)).not.toEqual(Buffer.from(v2Before.wrappedDataKey));
    expect(envelopeVersion(new Uint8Array(after[1]!.sealedPrivateKey))).toBe(2);
    expect(after.map((r) => [r.fingerprint, r.publicKeyArmored])).toEqual(
      before.map((r) => [r.fingerprint, r.publicKeyArmored]),
    );
    for (const r of after) await signsAndVerifies(onlyNew, r.repositoryId);
    await expect(loadSigningKeys(ctx, after[0]!.repositoryId)).rejects.toThrow(/cannot be opened/);
    expect(await rewrapSealedKeys(onlyNew)).toMatchObject({ rewrapped: 0, upgraded: 0, unchanged: 2 });
    const audit = await ctx.db.auditEvent.findMany({ where: { action: 'signing_key.rewrap' } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(newMaster);
  });

  it('rotates again through the operator command `npm run keys -- rewrap`', async () => {
    const out = execFileSync('npx', ['tsx', 'apps/worker/src/keys-command.ts', 'rewrap'], {
      cwd: join(import.meta.dirname, '../../../..'),
      env: { ...process.env, PALLET_MASTER_KEY: thirdMaster, PALLET_PREVIOUS_MASTER_KEY: newMaster },
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ rewrapped: 2, unchanged: 0 });
    expect(out).not.toContain(thirdMaster);
    const three = withConfig({ PALLET_MASTER_KEY: thirdMaster, PALLET_PREVIOUS_MASTER_KEY: undefined });
    for (const r of await sealedRows()) await signsAndVerifies(three, r.repositoryId);
  });

  it('wraps data keys with AWS KMS when PALLET_KMS_KEY_ID is set, through the KMS protocol', async () => {
    const keyId = kms.createKey();
    const kmsEnv = {
      PALLET_MASTER_KEY: thirdMaster,
      PALLET_KMS_KEY_ID: keyId,
      PALLET_KMS_ENDPOINT: kms.endpoint,
    };
    const withKms = withConfig(kmsEnv);
    // Existing master-wrapped keys move to KMS; the sealed keys stay.
    const before = await sealedRows();
    expect(await rewrapSealedKeys(withKms)).toMatchObject({ rewrapped: 2 });
    const after = await sealedRows();
    for (const [i, r] of after.entries()) {
      const envelope = decodeDataKeyEnvelope(new Uint8Array(r.sealedPrivateKey));
      expect(envelope.wrapping).toBe('aws-kms');
      const previous = decodeDataKeyEnvelope(new Uint8Array(before[i]!.sealedPrivateKey));
      expect(Buffer.from(envelope.sealed)).toEqual(Buffer.from(previous.sealed));
    }
    expect(kms.calls.filter((c) => c.operation === 'Encrypt')).toHaveLength(2);
    expect(kms.calls[0]!.encryptionContext).toEqual({ 'pallet:key': after[0]!.fingerprint });
    // New keys: GenerateDataKey; opening: Decrypt.
    await createRepository(withKms, actor, 'custody', { name: 'kms', keyAlgorithm: 'ed25519' });
    expect(kms.calls.at(-1)!.operation).toBe('GenerateDataKey');
    const created = (await sealedRows()).at(-1)!;
    await signsAndVerifies(withKms, created.repositoryId);
    expect(kms.calls.at(-1)!.operation).toBe('Decrypt');
    // Without KMS configured, or with the KMS key gone, KMS-wrapped keys do not open.
    await expect(
      loadSigningKeys(withConfig({ PALLET_MASTER_KEY: thirdMaster }), created.repositoryId),
    ).rejects.toThrow(/not configured/);
    kms.disableKey(keyId);
    await expect(loadSigningKeys(withConfig(kmsEnv), created.repositoryId)).rejects.toThrow(
      /KMS Decrypt failed: InvalidCiphertextException/,
    );
  });
});
