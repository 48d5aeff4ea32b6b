// Key life cycle against the real database, storage and rpm tools: rotation republishes signed by both
// keys, retirement re-signs rpms under new download names, revocation replaces the active key, destroys
// its private half, publishes its revocation and re-signs everything; bad requests change nothing; and
// no private key material ends up in answers, audit details or database columns.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '@pallet/config';
import { verifyCleartext, verifyDetached } from '@pallet/openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { DownloadCache } from '../download/download-cache';
import { resolveDownload } from '../download/resolve-download';
import { DomainError } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { deletePackage } from '../package/delete-package';
import { ingestPackage } from '../package/ingest-package';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { publishDistributionNow } from '../publication/publish-distribution-now';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { listSigningKeys } from './list-signing-keys';
import { rekeyRepository } from './rekey-repository';
import { retireSigningKey } from './retire-signing-key';
import { revokeSigningKey } from './revoke-signing-key';
import { rotateSigningKey } from './rotate-signing-key';

let ctx: CoreContext;
let actor: Actor;
let work: string;
let repositoryId: string;
const answers: unknown[] = [];
let keyedRpm: Uint8Array;

function buildRpm(name: string): Uint8Array {
  const top = join(work, `rpmbuild-${name}`);
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS', `${name}.spec`);
  writeFileSync(
    spec,
    `Name: ${name}\nVersion: 1.0\nRelease: 1\nSummary: ${name}\nLicense: MIT\nBuildArch: noarch\nAutoReqProv: no\n\n%description\n${name}\n\n%install\nmkdir -p %{buildroot}/usr/share/${name}\necho ${name} > %{buildroot}/usr/share/${name}/README\n\n%files\n/usr/share/${name}\n`,
  );
  execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '--quiet', '-bb', spec], {
    env: { ...process.env, HOME: top, LC_ALL: 'C.UTF-8' },
    stdio: 'ignore',
  });
  const dir = join(top, 'RPMS', 'noarch');
  return readFileSync(join(dir, readdirSync(dir)[0]!));
}

function buildDeb(name: string): Uint8Array {
  const root = join(work, `deb-${name}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.test>\nDescription: ${name}\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  return readFileSync(`${root}.deb`);
}

async function add(bytes: Uint8Array, distribution: string) {
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'keys', 'repo', staged, { distribution });
  await ingestPackage(ctx, pkg.id);
  return pkg;
}

/** Ingests what the worker would (the keyring packages uploaded by the system). */
async function ingestPending() {
  for (;;) {
    const pending = await ctx.db.package.findMany({ where: { repositoryId, indexEntry: null } });
    if (pending.length === 0) return;
    for (const p of pending) await ingestPackage(ctx, p.id);
  }
}

async function keyringVersions(): Promise<string[]> {
  const rows = await ctx.db.package.findMany({
    where: { repositoryId, name: 'keys-repo-archive-keyring' },
    include: { distribution: true },
    orderBy: [{ version: 'asc' }],
  });
  return rows.map((r) => `${r.distribution.name} ${r.version}`).sort();
}

async function publishAll() {
  await ingestPending();
  const dists = await ctx.db.distribution.findMany({ where: { repositoryId } });
  for (const d of dists) await publishDistributionNow(ctx, d.id);
}

async function served(path: string): Promise<Buffer> {
  const d = await resolveDownload(ctx, new DownloadCache(), actor, ['keys', 'repo', ...path.split('/')]);
  if (d.kind === 'inline') return Buffer.from(d.body);
  return readFileSync(join(ctx.config.storage, d.storageKey));
}

async function publicKey(fingerprint: string): Promise<string> {
  const k = await ctx.db.signingKey.findFirstOrThrow({ where: { fingerprint } });
  return k.publicKeyArmored;
}

/** Fingerprints whose key alone verifies the served InRelease and repomd.xml.asc. */
async function signers(fingerprints: string[]) {
  const inRelease = (await served('deb/debian/dists/bookworm/InRelease')).toString('utf8');
  const repomd = await served('rpm/el/9/repodata/repomd.xml');
  const asc = (await served('rpm/el/9/repodata/repomd.xml.asc')).toString('utf8');
  const out: { deb: string[]; rpm: string[]; debCount: number; rpmCount: number } = {
    deb: [],
    rpm: [],
    debCount: 0,
    rpmCount: 0,
  };
  for (const fp of fingerprints) {
    const key = await publicKey(fp);
    const d = await verifyCleartext(inRelease, [key]);
    const r = await verifyDetached(repomd, asc, [key]);
    out.debCount = d.signatures.length;
    out.rpmCount = r.signatures.length;
    if (d.signatures.some((s) => s.status === 'good')) out.deb.push(fp);
    if (r.signatures.some((s) => s.status === 'good')) out.rpm.push(fp);
  }
  return out;
}

/** `rpmkeys -K` of a file against a database holding only the given key. */
function rpmChecks(rpm: Buffer, keyArmored: string, label: string): boolean {
  const dir = join(work, `check-${label}`);
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(join(dir, 'key.asc'), keyArmored);
  writeFileSync(join(dir, 'p.rpm'), rpm);
  const env = { ...process.env, HOME: dir, LC_ALL: 'C' };
  execFileSync('rpmkeys', ['--dbpath', join(dir, 'db'), '--import', join(dir, 'key.asc')], { env });
  const r = spawnSync('rpmkeys', ['--dbpath', join(dir, 'db'), '-K', join(dir, 'p.rpm')], {
    env,
    encoding: 'utf8',
  });
  return r.status === 0 && /signatures OK/.test(r.stdout);
}

async function rpmRow() {
  return ctx.db.package.findFirstOrThrow({
    where: { repositoryId, format: 'RPM', name: 'keyed', status: { in: ['PROCESSING', 'PUBLISHED'] } },
  });
}

async function expectDomainError(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-keys-int-'));
  ctx = createCoreContext(
    loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage'), PALLET_KEYRING_PACKAGES: 'on' }),
  );
  const s = await signUp(ctx, { email: 'keys@example.test', password: 'long enough password', org: 'keys' });
  actor = await authenticateToken(ctx, s.token);
  const repo = await createRepository(ctx, actor, 'keys', { name: 'repo', keyAlgorithm: 'ed25519' });
  repositoryId = (await ctx.db.repository.findFirstOrThrow({ where: { slug: repo.slug } })).id;
  await add(buildDeb('keyed'), 'debian/bookworm');
  keyedRpm = buildRpm('keyed');
  await add(keyedRpm, 'el/9');
  await publishAll();
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('signing key life cycle', () => {
  let first: string;
  let second: string;
  let third: string;

  it('publishes the keyring package in every distribution', async () => {
    expect(await keyringVersions()).toEqual(['debian/bookworm 1', 'el/9 1-1']);
    const keyring = await ctx.db.package.findFirstOrThrow({
      where: { repositoryId, name: 'keys-repo-archive-keyring', format: 'RPM' },
    });
    expect(keyring.status).toBe('PUBLISHED');
    const [key] = await ctx.db.signingKey.findMany({ where: { repositoryId } });
    const rpm = await served(`rpm/el/9/${keyring.filename}`);
    expect(rpmChecks(rpm, key!.publicKeyArmored, 'keyring')).toBe(true);
    const audit = await ctx.db.auditEvent.findFirstOrThrow({
      where: { action: 'package.upload', actorType: 'system' },
    });
    expect(audit.target).toMatch(/keys-repo-archive-keyring/);
  });

  it('rotates: the new key is active, the old one retiring, everything republished signed by both', async () => {
    const [original] = await listSigningKeys(ctx, actor, 'keys', 'repo');
    first = original!.fingerprint;
    const before = await rpmRow();
    const rotated = await rotateSigningKey(ctx, actor, 'keys', 'repo', {});
    answers.push(rotated);
    second = rotated.fingerprint;
    expect(rotated).toMatchObject({ status: 'active', algorithm: 'ed25519' });
    const keys = await listSigningKeys(ctx, actor, 'keys', 'repo');
    expect(keys.map((k) => [k.fingerprint, k.status])).toEqual([
      [second, 'active'],
      [first, 'retiring'],
    ]);
    // The distributions were marked for republication in the same transaction.
    const dists = await ctx.db.distribution.findMany({
      where: { repositoryId },
      include: { currentPublication: true },
    });
    for (const d of dists) expect(d.generation).toBeGreaterThan(d.currentPublication!.generation);
    await publishAll();
    const s = await signers([first, second]);
    expect(s).toMatchObject({ deb: [first, second], rpm: [first, second], debCount: 2, rpmCount: 2 });
    // The served keyrings hold both keys.
    const asc = (await served('gpg.asc')).toString('utf8');
    expect(asc.match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(2);
    // During the transition rpms keep their signature (machines holding the old key only still install).
    expect(await rekeyRepository(ctx, { repositoryId, resignRpms: false })).toMatchObject({
      resigned: 0,
      keyrings: 2,
    });
    expect((await rpmRow()).servedBlobId).toBe(before.servedBlobId);
    await publishAll();
    expect(await keyringVersions()).toEqual([
      'debian/bookworm 1',
      'debian/bookworm 2',
      'el/9 1-1',
      'el/9 2-1',
    ]);
    const keyring2 = await ctx.db.package.findFirstOrThrow({
      where: { repositoryId, name: 'keys-repo-archive-keyring', format: 'RPM', version: '2-1' },
    });
    const keyring2Bytes = await served(`rpm/el/9/${keyring2.filename}`);
    expect(rpmChecks(keyring2Bytes, await publicKey(first), 'keyring2-old')).toBe(true);
    expect((await ctx.db.repository.findUniqueOrThrow({ where: { id: repositoryId } })).keyringVersion).toBe(
      1,
    );
    const audit = await ctx.db.auditEvent.findFirstOrThrow({ where: { action: 'signing_key.rotate' } });
    expect(audit.details).toMatchObject({ retiring: [first] });
  });

  it('refuses a second rotation while a key is retiring, and retiring the active key', async () => {
    await expectDomainError(rotateSigningKey(ctx, actor, 'keys', 'repo', {}), 'rotation_in_progress');
    await expectDomainError(retireSigningKey(ctx, actor, 'keys', 'repo', second), 'key_active');
    await expectDomainError(
      rotateSigningKey(ctx, actor, 'keys', 'repo', { algorithm: 'dsa' }),
      'invalid_request',
    );
    await expectDomainError(
      rotateSigningKey(ctx, actor, 'keys', 'repo', { expiresAt: '2001-01-01T00:00:00Z' }),
      'invalid_request',
    );
    await expectDomainError(retireSigningKey(ctx, actor, 'keys', 'repo', 'nope'), 'not_found');
    expect(await ctx.db.signingKey.count({ where: { repositoryId } })).toBe(2);
  });

  it('retires: the old key leaves the keyring, rpms are re-signed under new names, republished by the new key only', async () => {
    const before = await rpmRow();
    const retired = await retireSigningKey(ctx, actor, 'keys', 'repo', first.toLowerCase());
    answers.push(retired);
    expect(retired).toMatchObject({ fingerprint: first, status: 'retired' });
    const asc = (await served('gpg.asc')).toString('utf8');
    expect(asc.match(/BEGIN PGP PUBLIC KEY BLOCK/g)).toHaveLength(1);
    // The application rpm and keyring versions 1 and 2 were signed by the retired key: version 2, which
    // brought the new key, was signed by the retiring key that machines already trusted.
    expect(await rekeyRepository(ctx, { repositoryId, resignRpms: true })).toMatchObject({
      resigned: 3,
      keyrings: 2,
    });
    const after = await rpmRow();
    expect(after.filename).not.toBe(before.filename);
    expect(after.filename).toMatch(/^Packages\/k\/[0-9a-f]{16}\/keyed-1\.0-1\.noarch\.rpm$/);
    expect(after.servedBlobId).not.toBe(before.servedBlobId);
    await publishAll();
    expect(await signers([first, second])).toMatchObject({ deb: [second], rpm: [second], debCount: 1 });
    // The new location carries the new key's signature; the old one still serves its old bytes.
    expect(rpmChecks(await served(`rpm/el/9/${after.filename}`), await publicKey(second), 'new')).toBe(true);
    expect(rpmChecks(await served(`rpm/el/9/${after.filename}`), await publicKey(first), 'old-key')).toBe(
      false,
    );
    const oldBytes = await served(`rpm/el/9/${before.filename}`);
    expect(rpmChecks(oldBytes, await publicKey(first), 'old-name')).toBe(true);
    const repomd = (await served('rpm/el/9/repodata/repomd.xml')).toString('utf8');
    const primaryPath = /<location href="(repodata\/[0-9a-f]{64}-primary\.xml\.gz)"/.exec(repomd)?.[1];
    // The re-signed rows changed in place: the publication lists their new names (it did not append to
    // the previous repodata, which lists the old ones).
    const primary = gunzipSync(await served(`rpm/el/9/${primaryPath}`)).toString('utf8');
    expect(primary).toContain(`<location href="${after.filename}"/>`);
    expect(primary).not.toContain(`<location href="${before.filename}"/>`);
    // Idempotent: nothing left to re-sign.
    expect(await rekeyRepository(ctx, { repositoryId, resignRpms: true })).toMatchObject({
      resigned: 0,
      keyrings: 0,
    });
    await expectDomainError(retireSigningKey(ctx, actor, 'keys', 'repo', first), 'key_not_retiring');
  });

  it('re-signs a re-uploaded rpm whose earlier signed copy the retired key made', async () => {
    await deletePackage(ctx, actor, 'keys', 'repo', (await rpmRow()).id);
    await publishAll();
    await add(keyedRpm, 'el/9');
    const again = await rpmRow();
    expect(again.filename).toMatch(/^Packages\/k\/[0-9a-f]{16}\/keyed-1\.0-1\.noarch\.rpm$/);
    expect(rpmChecks(await served(`rpm/el/9/${again.filename}`), await publicKey(second), 'reupload')).toBe(
      true,
    );
    await publishAll();
  });

  it('refuses a bad revocation without changing anything', async () => {
    const before = await ctx.db.signingKey.findMany({ where: { repositoryId }, orderBy: { id: 'asc' } });
    await expectDomainError(revokeSigningKey(ctx, actor, 'keys', 'repo', second, {}), 'invalid_request');
    await expectDomainError(
      revokeSigningKey(ctx, actor, 'keys', 'repo', second, { reason: '   ' }),
      'invalid_request',
    );
    await expectDomainError(
      revokeSigningKey(ctx, actor, 'keys', 'repo', 'A'.repeat(40), { reason: 'x' }),
      'not_found',
    );
    expect(await ctx.db.signingKey.findMany({ where: { repositoryId }, orderBy: { id: 'asc' } })).toEqual(
      before,
    );
  });

  it('revokes the active key: a new key, the revocation published, everything re-signed, one audit event', async () => {
    const before = await rpmRow();
    const result = await revokeSigningKey(ctx, actor, 'keys', 'repo', second, { reason: 'laptop stolen' });
    answers.push(result);
    expect(result).toMatchObject({
      fingerprint: second,
      status: 'revoked',
      revocationReason: 'laptop stolen',
    });
    third = result.activeKey!.fingerprint;
    expect(third).not.toBe(second);
    expect(result.activeKey).toMatchObject({ status: 'active' });
    const row = await ctx.db.signingKey.findFirstOrThrow({ where: { fingerprint: second } });
    expect(row.sealedPrivateKey.length).toBe(0);
    expect(row.revocationCertificate).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    const revokedAsc = (await served('revoked.asc')).toString('utf8');
    expect(revokedAsc).toBe(`${row.revocationCertificate!.trim()}\n`);
    const keyring = (await served('gpg.asc')).toString('utf8');
    expect(keyring).toBe(`${(await publicKey(third)).trim()}\n`);
    const events = await ctx.db.auditEvent.findMany({ where: { action: 'signing_key.revoke' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ reason: 'laptop stolen', newKey: third });
    // Republished at once without the revoked key's signature, then the rpms re-signed.
    await publishAll();
    expect(await signers([second, third])).toMatchObject({ deb: [third], rpm: [third], debCount: 1 });
    const rekeyed = await rekeyRepository(ctx, { repositoryId, resignRpms: true });
    expect(rekeyed.resigned).toBeGreaterThanOrEqual(1);
    await publishAll();
    const after = await rpmRow();
    expect(after.filename).not.toBe(before.filename);
    // The copy the revoked key signed is withdrawn at once (not kept for the retention period).
    await expect(served(`rpm/el/9/${before.filename}`)).rejects.toBeInstanceOf(DomainError);
    // Every served rpm (the application, every keyring version) now verifies with the new key.
    const rpms = await ctx.db.package.findMany({
      where: { repositoryId, format: 'RPM', status: { not: 'REMOVED' } },
    });
    // The removed copy (signed by the revoked key, still within retention) is withdrawn.
    const removed = await ctx.db.package.findFirstOrThrow({
      where: { repositoryId, format: 'RPM', status: 'REMOVED' },
    });
    await expect(served(`rpm/el/9/${removed.filename}`)).rejects.toBeInstanceOf(DomainError);
    expect(rpms.length).toBeGreaterThanOrEqual(4);
    for (const [i, r] of rpms.entries())
      expect(rpmChecks(await served(`rpm/el/9/${r.filename}`), await publicKey(third), `third-${i}`)).toBe(
        true,
      );
    // The newest keyring package holds only the new key (the .deb its binary keyring).
    const newest = await ctx.db.package.findFirstOrThrow({
      where: { repositoryId, format: 'DEB', name: 'keys-repo-archive-keyring' },
      orderBy: { createdAt: 'desc' },
    });
    expect(newest.version).toBe('4');
    await expectDomainError(
      revokeSigningKey(ctx, actor, 'keys', 'repo', second, { reason: 'again' }),
      'key_revoked',
    );
  });

  it('keeps private key material out of answers, audit details and every database column', async () => {
    const marker = /PRIVATE KEY BLOCK|BEGIN PGP PRIVATE|-----BEGIN [A-Z ]*PRIVATE/;
    expect(JSON.stringify(answers)).not.toMatch(marker);
    const audit = await ctx.db.auditEvent.findMany();
    expect(JSON.stringify(audit.map((a) => [a.action, a.target, a.details]))).not.toMatch(marker);
    // Every text, json and bytea column of every table.
    const columns = await ctx.db.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = current_schema()
         AND data_type IN ('text', 'jsonb', 'json', 'bytea', 'character varying', 'ARRAY')`;
    expect(columns.length).toBeGreaterThan(10);
    for (const c of columns) {
      const col = `"${c.column_name}"`;
      const test =
        c.data_type === 'bytea'
          ? `position(convert_to('PRIVATE KEY', 'UTF8') in ${col}) > 0`
          : `${col}::text LIKE '%PRIVATE KEY%'`;
      const hits = await ctx.db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${c.table_name}" WHERE ${test}`,
      );
      expect(Number(hits[0]!.n), `${c.table_name}.${c.column_name}`).toBe(0);
    }
  });
});
