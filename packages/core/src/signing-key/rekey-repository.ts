// The worker's `rekey` job after a key change: re-signs every rpm whose served copy is not signed by
// the active key (each re-signed copy gets a new download name `<dir>/<first 16 hex of its sha256>/<file>`:
// a URL never changes its bytes, or caches and dnf's checksums break; the previous name stays served for
// the retention period, for machines still holding the previous index), refreshes the keyring packages
// and republishes every distribution. Idempotent: a second run finds nothing left to re-sign.
import type { Blob, Distribution, Package } from '@pallet/db';
import type { RpmPackage } from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { fileNameScope, supersedeFileName } from '../package/claim-file-name';
import { loadRpmSigningKey, renderRpmEntries, signUpload } from '../package/prepare-rpm';
import type { UnsealedKey } from './load-signing-keys';
import { publishKeyringPackages } from './publish-keyring-packages';
import { bumpRepositoryGenerations, requestRepublication } from './republish-repository';

export interface RekeyResult {
  resigned: number;
  /** distributions that received the next keyring package version */
  keyrings: number;
  republished: number;
}

export async function rekeyRepository(
  ctx: CoreContext,
  opts: { repositoryId: string; resignRpms: boolean },
): Promise<RekeyResult> {
  const repository = await ctx.db.repository.findUnique({ where: { id: opts.repositoryId } });
  if (!repository) return { resigned: 0, keyrings: 0, republished: 0 };
  let resigned = 0;
  if (opts.resignRpms) {
    const key = await loadRpmSigningKey(ctx, repository.id);
    const packages = await ctx.db.package.findMany({
      where: {
        repositoryId: repository.id,
        format: 'RPM',
        status: { in: ['PROCESSING', 'PUBLISHED'] },
        servedBlobId: { not: null },
        indexEntry: { not: null },
      },
      include: { blob: true, distribution: true },
      orderBy: { createdAt: 'asc' },
    });
    const revoked = new Set(
      (
        await ctx.db.signingKey.findMany({
          where: { repositoryId: repository.id, status: 'REVOKED' },
          select: { fingerprint: true },
        })
      ).map((k) => k.fingerprint),
    );
    for (const pkg of packages) {
      if (await resignRpmIfNeeded(ctx, pkg, key, revoked)) resigned++;
    }
    if (revoked.size > 0) await withdrawRevokedCopies(ctx, repository.id, [...revoked]);
  }
  // The next keyring package version (uploads queue their own ingestion and publication).
  const keyrings = await publishKeyringPackages(ctx, repository.id);
  const pending = await ctx.db.$transaction((tx) => bumpRepositoryGenerations(tx, repository.id));
  await requestRepublication(ctx, pending);
  ctx.log.info(
    { repositoryId: repository.id, resigned, keyrings, republished: pending.length },
    'repository re-keyed',
  );
  return { resigned, keyrings, republished: pending.length };
}

/**
 * A compromised key's signatures stop being served at once: the superseded download names whose bytes
 * it signed, and removed packages still served for the retention period, are withdrawn (404) instead of
 * waiting out the retention period.
 */
async function withdrawRevokedCopies(ctx: CoreContext, repositoryId: string, revoked: string[]) {
  await ctx.db.$transaction(async (tx) => {
    await tx.packageFileName.updateMany({
      where: { repositoryId, signedBy: { in: revoked }, supersededAt: { not: null } },
      data: { supersededAt: new Date(0) },
    });
    await tx.$executeRaw`
      UPDATE "Package" p SET "removedAt" = to_timestamp(0)
        FROM "PackageFileName" n
       WHERE p."repositoryId" = ${repositoryId} AND p."format" = 'RPM' AND p."status" = 'REMOVED'
         AND n."repositoryId" = p."repositoryId" AND n."filename" = p."filename"
         AND n."signedBy" = ANY(${revoked})`;
    // Neither change moves a package's bytes, which is what the serving caches listen for: tell them.
    await tx.$executeRaw`SELECT pg_notify('pallet_serving', ${`repo:${repositoryId}`})`;
  });
}

/**
 * After an ingestion that reused a name's earlier signed copy (a re-upload after deletion): when that copy
 * was signed by a key that no longer signs rpms, it is re-signed under a new name, so rpms ingested after
 * a rotation always carry the signing key's signature.
 */
export async function resignStaleCopy(ctx: CoreContext, packageId: string): Promise<boolean> {
  const pkg = await ctx.db.package.findUnique({
    where: { id: packageId },
    include: { blob: true, distribution: true },
  });
  if (!pkg?.filename || !pkg.servedBlobId || pkg.format !== 'RPM') return false;
  const claim = await ctx.db.packageFileName.findUnique({
    where: {
      repositoryId_scope_filename: {
        repositoryId: pkg.repositoryId,
        scope: fileNameScope('rpm', pkg.distribution),
        filename: pkg.filename,
      },
    },
  });
  if (!claim?.signedBy) return false;
  const keyring = pkg.uploadedBy === null && pkg.name.endsWith('-archive-keyring');
  const key = await loadRpmSigningKey(ctx, pkg.repositoryId, { keyring });
  if (claim.signedBy === key.fingerprint) return false;
  return resignRpmIfNeeded(ctx, pkg, key);
}

type RpmRow = Package & { blob: Blob; distribution: Distribution };

const DIGEST_DIR_RE = /^(?:[0-9a-f]{16}|[0-9a-f]{64})$/;

/** `Packages/h/<digest>/hello.rpm` → `Packages/h/hello.rpm`. */
function canonicalName(filename: string): string {
  const parts = filename.split('/');
  if (parts.length >= 2 && DIGEST_DIR_RE.test(parts[parts.length - 2]!)) parts.splice(parts.length - 2, 1);
  return parts.join('/');
}

function withDigestDirectory(filename: string, digest: string): string {
  const slash = filename.lastIndexOf('/');
  return `${filename.slice(0, slash + 1)}${digest}/${filename.slice(slash + 1)}`;
}

/** Re-signs one package's served copy with `key` unless that key signed it already. */
export async function resignRpmIfNeeded(
  ctx: CoreContext,
  pkg: RpmRow,
  key: UnsealedKey,
  revoked: ReadonlySet<string> = new Set(),
): Promise<boolean> {
  if (!pkg.filename || !pkg.servedBlobId) return false;
  const scope = fileNameScope('rpm', pkg.distribution);
  const where = { repositoryId: pkg.repositoryId, scope };
  const claim = await ctx.db.packageFileName.findUnique({
    where: { repositoryId_scope_filename: { ...where, filename: pkg.filename } },
  });
  if (claim?.signedBy === key.fingerprint && claim.servedBlobId === pkg.servedBlobId) return false;
  const rpm = (pkg.metadata as unknown as { rpm: RpmPackage }).rpm;
  const signed = await signUpload(ctx, pkg, rpm, key);
  const base = canonicalName(pkg.filename);
  let filename: string | null = null;
  for (const candidate of [
    withDigestDirectory(base, signed.sha256.slice(0, 16)),
    withDigestDirectory(base, signed.sha256),
  ]) {
    await ctx.db.packageFileName.createMany({
      data: [
        {
          ...where,
          filename: candidate,
          uploadSha256: pkg.blob.sha256,
          servedBlobId: signed.id,
          signedBy: key.fingerprint,
        },
      ],
      skipDuplicates: true,
    });
    const taken = await ctx.db.packageFileName.findUniqueOrThrow({
      where: { repositoryId_scope_filename: { ...where, filename: candidate } },
    });
    if (taken.servedBlobId === signed.id) {
      filename = candidate;
      break;
    }
  }
  if (!filename) throw new Error(`no free download name for the re-signed ${pkg.filename}`);
  const entries = await renderRpmEntries(ctx, pkg, rpm, signed, filename);
  const previous = pkg.filename;
  return ctx.db.$transaction(async (tx) => {
    // Guarded by the copy it replaces: an overwrite or deletion meanwhile wins.
    const moved = await tx.package.updateMany({
      where: { id: pkg.id, servedBlobId: pkg.servedBlobId, filename: previous },
      data: {
        filename,
        servedBlobId: signed.id,
        indexEntry: entries.indexEntry,
        indexExtra: entries.indexExtra ?? undefined,
      },
    });
    if (moved.count !== 1) return false;
    await supersedeFileName(tx, where, previous);
    // Bytes signed by a revoked key (or by an unknown key while one is revoked) are withdrawn at once.
    if (claim?.signedBy ? revoked.has(claim.signedBy) : revoked.size > 0) {
      await tx.packageFileName.updateMany({
        where: { ...where, filename: previous },
        data: { supersededAt: new Date(0) },
      });
    }
    return true;
  });
}
