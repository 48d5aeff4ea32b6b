// Key expiry and bring-your-own-key against the real database and storage: new keys expire after the
// repository's keyValidityDays, the warning job announces 30/7/1 days once each, extending re-signs the
// key and republishes, an expired key never signs (publication fails clearly), and imports follow the
// key policy and take over like a rotation.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { readKeyInfo, verifyCleartext } from '@pallet/openpgp';
import { encryptKey, generateKey, readPrivateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { DomainError } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
import { updateRepository } from '../repository/update-repository';
import { authenticateToken } from '../token/authenticate-token';
import { extendSigningKey } from './extend-signing-key';
import { importSigningKey } from './import-signing-key';
import { listSigningKeys } from './list-signing-keys';
import { warnExpiringKeys } from './warn-expiring-keys';

const DAY = 86_400_000;
let ctx: CoreContext;
let actor: Actor;
let work: string;

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function publishDeb(repo: string, name: string) {
  const root = join(work, `deb-${name}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.test>\nDescription: ${name}\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  const bytes = readFileSync(`${root}.deb`);
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'exp', repo, staged, {
    distribution: 'debian/bookworm',
  });
  await ingestPackage(ctx, pkg.id);
  const row = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
  await publishDistributionNow(ctx, row.distributionId);
  return row.distributionId;
}

async function inRelease(distributionId: string): Promise<string> {
  const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
  const file = await ctx.db.publicationFile.findUniqueOrThrow({
    where: {
      publicationId_path: { publicationId: dist.currentPublicationId!, path: 'dists/bookworm/InRelease' },
    },
  });
  return readFileSync(join(ctx.config.storage, file.storageKey), 'utf8');
}

beforeAll(async () => {
  ctx = createCoreContext(loadConfig());
  work = mkdtempSync(join(tmpdir(), 'pallet-key-expiry-'));
  const s = await signUp(ctx, { email: 'exp@example.test', password: 'long enough password', org: 'exp' });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'exp', { name: 'repo', keyAlgorithm: 'ed25519' });
  await createRepository(ctx, actor, 'exp', { name: 'byo', keyAlgorithm: 'ed25519', keyValidityDays: 90 });
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await ctx.queues.close();
});

describe('key expiry', () => {
  it('gives new keys the repository validity (two years by default, keyValidityDays otherwise)', async () => {
    const [key] = await listSigningKeys(ctx, actor, 'exp', 'repo');
    expect(key!.expiresInDays).toBeGreaterThanOrEqual(729);
    expect(key!.expiryWarning).toBeNull();
    expect(key!.origin).toBe('generated');
    const [short] = await listSigningKeys(ctx, actor, 'exp', 'byo');
    expect(short!.expiresInDays).toBe(89);
    // The OpenPGP key itself carries the expiry clients enforce.
    const row = await ctx.db.signingKey.findFirstOrThrow({ where: { fingerprint: key!.fingerprint } });
    expect((await readKeyInfo(row.publicKeyArmored)).expiresAt?.toISOString()).toBe(key!.expiresAt);
    const view = await updateRepository(ctx, actor, 'exp', 'repo', { keyValidityDays: 365 });
    expect(view.keyValidityDays).toBe(365);
    const refused = await domainError(updateRepository(ctx, actor, 'exp', 'repo', { keyValidityDays: 0 }));
    expect(refused.kind).toBe('invalid_request');
  });

  it('warns once per threshold (30, 7, 1 days and expired), as audit events', async () => {
    const [key] = await listSigningKeys(ctx, actor, 'exp', 'repo');
    const row = await ctx.db.signingKey.findFirstOrThrow({ where: { fingerprint: key!.fingerprint } });
    const expiresAt = row.expiresAt!;
    const org = await ctx.db.org.findUniqueOrThrow({ where: { slug: 'exp' } });
    const hook = await ctx.db.webhook.create({
      data: {
        id: 'hook-key-expiry',
        orgId: org.id,
        url: 'https://hooks.example.test/pallet',
        events: ['key.expiring'],
        sealedSecret: Buffer.alloc(1),
        secretPrefix: 'whsec_test',
      },
    });
    const at = (daysBefore: number) => new Date(expiresAt.getTime() - daysBefore * DAY);
    // Only this key (the other repository's keys expire at other times).
    const warn = async (now: Date) =>
      (await warnExpiringKeys(ctx, now)).warned.filter((w) => w.fingerprint === row.fingerprint);
    expect(await warn(at(31))).toEqual([]);
    expect(await warn(at(29))).toEqual([{ fingerprint: row.fingerprint, threshold: 30 }]);
    expect(await warn(at(28))).toEqual([]);
    expect(await warn(at(6.5))).toEqual([{ fingerprint: row.fingerprint, threshold: 7 }]);
    expect(await warn(at(0.5))).toEqual([{ fingerprint: row.fingerprint, threshold: 1 }]);
    expect(await warn(at(0.4))).toEqual([]);
    const events = await ctx.db.auditEvent.findMany({
      where: { action: 'signing_key.expiring', targetId: row.id },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => (e.details as { threshold: number }).threshold)).toEqual([30, 7, 1]);
    expect(events[0]!.details).toMatchObject({ repository: 'repo', fingerprint: row.fingerprint });
    // The same announcements go out as `key.expiring` webhook events (outbox rows in the same transaction).
    const deliveries = await ctx.db.webhookDelivery.findMany({
      where: { webhookId: hook.id },
      orderBy: { createdAt: 'asc' },
    });
    const mine = deliveries.filter(
      (d) => (d.payload as { fingerprint: string }).fingerprint === row.fingerprint,
    );
    expect(mine.map((d) => [d.event, (d.payload as { threshold: number }).threshold])).toEqual([
      ['key.expiring', 30],
      ['key.expiring', 7],
      ['key.expiring', 1],
    ]);
  });

  it('extending re-signs the key with the new expiry, resets the warnings and republishes', async () => {
    const distributionId = await publishDeb('repo', 'one');
    const before = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    const [key] = await listSigningKeys(ctx, actor, 'exp', 'repo');
    const target = new Date(Date.now() + 400 * DAY);
    const extended = await extendSigningKey(ctx, actor, 'exp', 'repo', key!.fingerprint.toLowerCase(), {
      expiresAt: target.toISOString(),
    });
    expect(extended.fingerprint).toBe(key!.fingerprint);
    expect(Math.abs(Date.parse(extended.expiresAt!) - target.getTime())).toBeLessThan(1000);
    expect(extended.expiresInDays).toBe(399);
    const row = await ctx.db.signingKey.findFirstOrThrow({ where: { fingerprint: key!.fingerprint } });
    expect(row.expiryWarnedDays).toBeNull();
    expect((await readKeyInfo(row.publicKeyArmored)).expiresAt?.toISOString()).toBe(extended.expiresAt);
    const after = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    expect(after.generation).toBe(before.generation + 1);
    await publishDistributionNow(ctx, distributionId);
    const signed = await inRelease(distributionId);
    expect((await verifyCleartext(signed, [row.publicKeyArmored])).valid).toBe(true);
    const audit = await ctx.db.auditEvent.findFirstOrThrow({ where: { action: 'signing_key.extend' } });
    expect(audit.details).toMatchObject({ expiresAt: extended.expiresAt, republished: 1 });
    for (const bad of [{ expiresAt: new Date(Date.now() - DAY).toISOString() }, { expiresAt: 'soon' }, {}]) {
      const e = await domainError(extendSigningKey(ctx, actor, 'exp', 'repo', key!.fingerprint, bad));
      expect(e.kind).toBe('invalid_request');
    }
    const missing = await domainError(
      extendSigningKey(ctx, actor, 'exp', 'repo', '0'.repeat(40), { expiresAt: target.toISOString() }),
    );
    expect(missing.kind).toBe('not_found');
  });

  it('never signs with an expired key: publishing fails with key_expired and changes nothing', async () => {
    const distributionId = (
      await ctx.db.distribution.findFirstOrThrow({ where: { repository: { slug: 'repo' } } })
    ).id;
    const dist = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    await ctx.db.signingKey.updateMany({
      where: { repositoryId: dist.repositoryId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await ctx.db.distribution.update({
      where: { id: distributionId },
      data: { generation: { increment: 1 } },
    });
    const error = await domainError(publishDistributionNow(ctx, distributionId));
    expect(error.code).toBe('key_expired');
    expect(error.message).toMatch(/expired .*extend the key's expiry or rotate/);
    const unchanged = await ctx.db.distribution.findUniqueOrThrow({ where: { id: distributionId } });
    expect(unchanged.currentPublicationId).toBe(dist.currentPublicationId);
    const [key] = await listSigningKeys(ctx, actor, 'exp', 'repo');
    expect(key!.expiryWarning).toBe('expired');
    expect(key!.expiresInDays).toBeLessThan(0);
  });
});

describe('bring your own key', () => {
  it('refuses keys that fail the policy with 422 key_policy and changes nothing', async () => {
    const before = await ctx.db.signingKey.count();
    const weak = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'weak' }],
      config: { v6Keys: false },
    });
    for (const [body, reason] of [
      [{ armoredPrivateKey: weak.privateKey }, /at least 3072 bits/],
      [{ armoredPrivateKey: 'nonsense' }, /Not an armored OpenPGP private key/],
    ] as const) {
      const e = await domainError(importSigningKey(ctx, actor, 'exp', 'byo', body));
      expect(e.kind).toBe('unprocessable');
      expect(e.code).toBe('key_policy');
      expect(e.message).toMatch(reason);
    }
    const bad = await domainError(importSigningKey(ctx, actor, 'exp', 'byo', { key: 'x' }));
    expect(bad.kind).toBe('invalid_request');
    expect(await ctx.db.signingKey.count()).toBe(before);
  });

  it('imports a passphrase-protected key: active, the old key retiring, sealed, passphrase not kept', async () => {
    const passphrase = 'byo-passphrase-7f3a';
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [{ name: 'BYO', email: 'byo@example.test' }],
      keyExpirationTime: 365 * 86400,
      format: 'object',
      config: { v6Keys: false },
    });
    const armored = (await encryptKey({ privateKey, passphrase })).armor();
    const previous = (await listSigningKeys(ctx, actor, 'exp', 'byo'))[0]!;
    const imported = await importSigningKey(ctx, actor, 'exp', 'byo', {
      armoredPrivateKey: armored,
      passphrase,
    });
    expect(imported).toMatchObject({
      fingerprint: privateKey.getFingerprint().toUpperCase(),
      status: 'active',
      origin: 'imported',
      algorithm: 'ed25519',
    });
    const keys = await listSigningKeys(ctx, actor, 'exp', 'byo');
    expect(keys.find((k) => k.fingerprint === previous.fingerprint)!.status).toBe('retiring');
    const again = await domainError(
      importSigningKey(ctx, actor, 'exp', 'byo', { armoredPrivateKey: armored, passphrase }),
    );
    expect(again.kind).toBe('conflict');
    // Stored sealed; neither the key's secret part nor the passphrase appears anywhere in the database.
    const secretHex = Buffer.from(
      (
        (await readPrivateKey({ armoredKey: privateKey.armor() })).keyPacket as unknown as {
          privateParams: { seed: Uint8Array };
        }
      ).privateParams.seed,
    ).toString('hex');
    const dump = spawnSync('pg_dump', ['--data-only', ctx.config.databaseUrl], { encoding: 'utf8' });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain(imported.fingerprint);
    for (const needle of [passphrase, 'PRIVATE KEY BLOCK', secretHex, armored.split('\n')[3]!]) {
      expect(dump.stdout.includes(needle), `database holds ${needle.slice(0, 12)}…`).toBe(false);
    }
  });
});
