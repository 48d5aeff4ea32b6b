// The transparency log against the real database: publications append their signed index files,
// checkpoints verify with the published key, proofs verify, private names stay hidden, appends
// serialize, rows cannot be rewritten, and bad queries are refused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import {
  consistencyProofRanges,
  formatLogEntry,
  hashLeaf,
  openNote,
  parseCheckpoint,
  parseLogEntry,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
} from '@pallet/tlog';
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
import { authenticateToken } from '../token/authenticate-token';
import { appendToLog } from './append-to-log';
import { getLogCheckpoint, getLogVerifierKey } from './get-log-checkpoint';
import { listLogEntries } from './list-log-entries';
import { proveLogConsistency } from './prove-log-consistency';
import { proveLogInclusion } from './prove-log-inclusion';

let ctx: CoreContext;
let actor: Actor;
let work: string;
let counter = 0;

function buildDeb(name: string): Uint8Array {
  const root = join(work, `${name}-${++counter}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: 1.${counter}\nArchitecture: amd64\nMaintainer: T <t@example.test>\nDescription: ${name}\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, `${root}.deb`], { stdio: 'ignore' });
  return readFileSync(`${root}.deb`);
}

/** Uploads one .deb to org/repo debian/bookworm and publishes; returns the current signed files. */
async function publishOne(repo: string) {
  const bytes = buildDeb('logged');
  const staged = await stageUpload(
    ctx,
    (async function* () {
      yield bytes;
    })(),
    { maxBytes: 1 << 30 },
  );
  const { package: pkg } = await uploadPackage(ctx, actor, 'logorg', repo, staged, {
    distribution: 'debian/bookworm',
  });
  await ingestPackage(ctx, pkg.id);
  const { distributionId } = await ctx.db.package.findUniqueOrThrow({ where: { id: pkg.id } });
  const result = await publishDistributionNow(ctx, distributionId);
  expect(result.skipped).toBe(false);
  const files = await ctx.db.publicationFile.findMany({ where: { publicationId: result.publicationId! } });
  const file = (path: string) => {
    const f = files.find((x) => x.path === path)!;
    const bytes = readFileSync(join(ctx.config.storage, f.storageKey));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    return f.sha256;
  };
  return { inRelease: file('dists/bookworm/InRelease'), release: file('dists/bookworm/Release') };
}

async function verifiedCheckpoint() {
  const verifier = parseVerifierKey(await getLogVerifierKey(ctx));
  return parseCheckpoint(openNote(await getLogCheckpoint(ctx), [verifier]).text);
}

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; code: string }> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return { kind: (err as DomainError).kind, code: (err as DomainError).code };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pallet-tlog-int-'));
  ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
  const s = await signUp(ctx, { email: 'log@example.test', password: 'long enough password', org: 'logorg' });
  actor = await authenticateToken(ctx, s.token);
  await createRepository(ctx, actor, 'logorg', { name: 'open', keyAlgorithm: 'ed25519' });
  await createRepository(ctx, actor, 'logorg', {
    name: 'secret',
    visibility: 'private',
    keyAlgorithm: 'ed25519',
  });
});

afterAll(async () => {
  await ctx.queues.close();
  rmSync(work, { recursive: true, force: true });
});

describe('transparency log', () => {
  it('logs the InRelease and Release of a publication and proves them under a signed checkpoint', async () => {
    const before = (await verifiedCheckpoint()).treeSize;
    const { inRelease, release } = await publishOne('open');
    const checkpoint = await verifiedCheckpoint();
    expect(checkpoint.treeSize).toBe(before + 2);
    expect(checkpoint.origin).toBe(ctx.config.logName);
    const keys = await ctx.db.signingKey.findMany({ where: { repository: { slug: 'open' } } });
    for (const [sha, file] of [
      [inRelease, 'InRelease'],
      [release, 'Release'],
    ] as const) {
      const proof = await proveLogInclusion(ctx, { sha256: sha.toUpperCase() });
      expect(proof.treeSize).toBe(checkpoint.treeSize);
      const leaf = new Uint8Array(Buffer.from(proof.leaf, 'base64'));
      expect(parseLogEntry(leaf)).toMatchObject({
        sha256: sha,
        file,
        format: 'deb',
        repository: 'logorg/open',
        distribution: 'debian/bookworm',
        keyFingerprints: keys.map((k) => k.fingerprint),
      });
      const path = proof.auditPath.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
      expect(
        verifyInclusion(hashLeaf(leaf), proof.leafIndex, proof.treeSize, path, checkpoint.rootHash),
      ).toBe(true);
    }
  });

  it('commits to a private repository names without revealing them', async () => {
    const { inRelease } = await publishOne('secret');
    const proof = await proveLogInclusion(ctx, { sha256: inRelease });
    const text = Buffer.from(proof.leaf, 'base64').toString('utf8');
    expect(text).toContain(`sha256 ${inRelease}`);
    expect(text).toMatch(/^commitment [0-9a-f]{64}$/m);
    expect(text).not.toMatch(/logorg|secret|bookworm/);
    const listed = await listLogEntries(ctx, {
      start: String(proof.leafIndex),
      end: String(proof.leafIndex + 1),
    });
    expect(listed.items[0]).not.toHaveProperty('repository');
    expect(JSON.stringify(listed)).not.toMatch(/logorg|secret|bookworm/);
  });

  it('proves every older checkpoint consistent with the newest one', async () => {
    const first = await verifiedCheckpoint();
    await publishOne('open');
    const second = await verifiedCheckpoint();
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    const { proof } = await proveLogConsistency(ctx, {
      from: String(first.treeSize),
      to: String(second.treeSize),
    });
    expect(proof).toHaveLength(consistencyProofRanges(first.treeSize, second.treeSize).length);
    const bytes = proof.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
    expect(verifyConsistency(first.treeSize, second.treeSize, bytes, first.rootHash, second.rootHash)).toBe(
      true,
    );
    // An inclusion proof at the older size still verifies against the older head.
    const entry = await ctx.db.transparencyLogEntry.findFirstOrThrow({
      where: { index: first.treeSize - 1 },
    });
    const old = await proveLogInclusion(ctx, { sha256: entry.sha256, treeSize: String(first.treeSize) });
    const path = old.auditPath.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
    expect(
      verifyInclusion(
        hashLeaf(new Uint8Array(entry.entry)),
        old.leafIndex,
        first.treeSize,
        path,
        first.rootHash,
      ),
    ).toBe(true);
  });

  it('serializes concurrent appends into one gap-free tree with a checkpoint per size', async () => {
    const before = (await verifiedCheckpoint()).treeSize;
    const entries = Array.from({ length: 12 }, (_, i) => {
      const sha256 = createHash('sha256').update(`concurrent ${i} ${Date.now()}`).digest('hex');
      const entry = formatLogEntry({
        sha256,
        file: 'InRelease',
        format: 'deb',
        repository: 'x/y',
        distribution: 'debian/bookworm',
        publishedAt: new Date(),
        keyFingerprints: [],
      });
      return { sha256, entry };
    });
    await Promise.all(entries.map((e) => ctx.db.$transaction((tx) => appendToLog(ctx, tx, [e]))));
    const after = await verifiedCheckpoint();
    expect(after.treeSize).toBe(before + 12);
    const indexes = (
      await ctx.db.transparencyLogEntry.findMany({ select: { index: true }, orderBy: { index: 'asc' } })
    ).map((r) => r.index);
    expect(indexes).toEqual(Array.from({ length: after.treeSize }, (_, i) => i));
    expect(await ctx.db.transparencyLogCheckpoint.count({ where: { treeSize: { gt: before } } })).toBe(12);
    for (const e of entries) {
      const p = await proveLogInclusion(ctx, { sha256: e.sha256 });
      const path = p.auditPath.map((x) => new Uint8Array(Buffer.from(x, 'base64')));
      expect(verifyInclusion(hashLeaf(e.entry), p.leafIndex, p.treeSize, path, after.rootHash)).toBe(true);
    }
  });

  it('refuses to rewrite or delete entries, nodes, checkpoints and the key', async () => {
    await expect(
      ctx.db.$executeRawUnsafe(`UPDATE "TransparencyLogEntry" SET "sha256" = 'x'`),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.db.$executeRawUnsafe(`DELETE FROM "TransparencyLogNode"`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.$executeRawUnsafe(`DELETE FROM "TransparencyLogCheckpoint"`)).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.$executeRawUnsafe(`UPDATE "TransparencyLogKey" SET "name" = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    const key = await ctx.db.transparencyLogKey.findUniqueOrThrow({ where: { id: 1 } });
    expect(Buffer.from(key.sealedPrivateKey).toString('latin1')).not.toContain('PRIVATE KEY');
  });

  it('answers bad queries with invalid_request and unknown digests with not_found', async () => {
    const size = (await verifiedCheckpoint()).treeSize;
    const sha = 'ab'.repeat(32);
    for (const q of [
      {},
      { sha256: 'xyz' },
      { sha256: sha, treeSize: '-1' },
      { sha256: sha, treeSize: '1e3' },
      { sha256: sha, treeSize: '0' },
    ])
      expect(await refusal(proveLogInclusion(ctx, q))).toMatchObject({ kind: 'invalid_request' });
    expect(await refusal(proveLogInclusion(ctx, { sha256: sha, treeSize: String(size + 1) }))).toEqual({
      kind: 'invalid_request',
      code: 'beyond_tree_size',
    });
    expect(await refusal(proveLogInclusion(ctx, { sha256: sha }))).toEqual({
      kind: 'not_found',
      code: 'not_in_log',
    });
    for (const q of [
      { from: '2', to: '1' },
      { from: '1' },
      { from: '01', to: '2' },
      { from: '1', to: String(size + 1) },
    ])
      expect(await refusal(proveLogConsistency(ctx, q))).toMatchObject({ kind: 'invalid_request' });
    for (const q of [
      { start: '3', end: '3' },
      { start: '0', end: String(size + 1) },
      { start: 'a', end: '2' },
    ])
      expect(await refusal(listLogEntries(ctx, q))).toMatchObject({ kind: 'invalid_request' });
    expect((await proveLogConsistency(ctx, { from: String(size), to: String(size) })).proof).toEqual([]);
  });
});
