// Signs an uploaded rpm with the repository key (header signature, as `rpmsign --addsign` does) and
// renders its primary/filelists/other entries from the signed file's digest and header range.
import type { Blob } from '@pallet/db';
import { detachSign } from '@pallet/openpgp';
import {
  buildFilelistsEntry,
  buildOtherEntry,
  buildPrimaryEntry,
  type RpmPackage,
  signRpmHeader,
} from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { timeSigning } from '../metrics/pallet-metrics';
import { loadSigningKeys, type UnsealedKey } from '../signing-key/load-signing-keys';
import { fileNameScope } from './claim-file-name';
import type { PackageToPrepare, PreparedPackage } from './prepared-package';
import { storeBlob } from './store-blob';

const LEAD_SIZE = 96;

async function openRange(ctx: CoreContext, key: string, start: number, end: number) {
  const obj = await ctx.storage.get(key, { range: { start, end } });
  if (!obj) throw new Error('uploaded package bytes are missing from storage');
  return obj.body;
}

async function readRange(ctx: CoreContext, key: string, start: number, end: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of await openRange(ctx, key, start, end)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Where the main header starts in a signed rpm: after the lead and the 8-aligned signature header. */
async function signedHeaderStart(ctx: CoreContext, key: string): Promise<number> {
  const intro = Buffer.from(await readRange(ctx, key, 0, LEAD_SIZE + 15));
  const sigLength = 16 + intro.readUInt32BE(LEAD_SIZE + 8) * 16 + intro.readUInt32BE(LEAD_SIZE + 12);
  return LEAD_SIZE + sigLength + ((8 - (sigLength % 8)) % 8);
}

/** The key an rpm is signed with: rpm <= 4.19 holds one signature, so the newest active key. */
export async function loadRpmSigningKey(
  ctx: CoreContext,
  repositoryId: string,
  opts: { keyring?: boolean } = {},
): Promise<UnsealedKey> {
  const keys = await loadSigningKeys(ctx, repositoryId);
  // The keyring package carrying a rotation's new key is signed by the retiring key, which the machines
  // that still need the new key already trust; retirement re-signs it with the active key.
  if (opts.keyring) {
    const retiring = keys.find((k) => k.status === 'RETIRING');
    if (retiring) return retiring;
  }
  return keys.find((k) => k.status === 'ACTIVE') ?? keys[keys.length - 1]!;
}

/** A keyring package Pallet built and uploaded itself (publish-keyring-packages.ts). */
function isKeyringPackage(pkg: PackageToPrepare): boolean {
  return pkg.uploadedBy === null && pkg.name.endsWith('-archive-keyring');
}

/** Stores a copy of the uploaded rpm with an OpenPGP header signature by `key`. */
export async function signUpload(
  ctx: CoreContext,
  pkg: Pick<PackageToPrepare, 'blob'>,
  rpm: RpmPackage,
  key: UnsealedKey,
) {
  const head = await readRange(ctx, pkg.blob.storageKey, 0, rpm.headerEnd - 1);
  const { newPrefix, mainHeaderOffset } = await signRpmHeader(
    head,
    async (mainHeader) =>
      timeSigning(
        'rpm',
        async () => (await detachSign(mainHeader, [key.privateKeyArmored], { armor: false })) as Uint8Array,
      ),
    key.algorithm === 'ed25519' ? 'eddsa' : 'rsa',
  );
  const rest = await openRange(ctx, pkg.blob.storageKey, mainHeaderOffset, Number(pkg.blob.size) - 1);
  async function* signedFile(): AsyncGenerator<Uint8Array> {
    yield newPrefix;
    yield* rest;
  }
  return storeBlob(ctx, signedFile(), { kind: 'signed' });
}

/**
 * The signed bytes served under the package's file name. A signature differs at every signing, so the
 * name's first signed copy is reused (a re-upload after deletion): one name, one content, for good.
 */
async function servedCopy(ctx: CoreContext, pkg: PackageToPrepare, rpm: RpmPackage): Promise<Blob> {
  const where = {
    repositoryId: pkg.repositoryId,
    scope: fileNameScope('rpm', pkg.distribution),
    filename: pkg.filename ?? '',
  };
  const claim = await ctx.db.packageFileName.findUnique({ where: { repositoryId_scope_filename: where } });
  const earlier = claim?.servedBlobId
    ? await ctx.db.blob.findUnique({ where: { id: claim.servedBlobId } })
    : null;
  if (earlier) return earlier;
  const key = await loadRpmSigningKey(ctx, pkg.repositoryId, { keyring: isKeyringPackage(pkg) });
  const signed = await signUpload(ctx, pkg, rpm, key);
  if (!claim) return signed;
  const taken = await ctx.db.packageFileName.updateMany({
    where: { ...where, servedBlobId: claim.servedBlobId },
    data: { servedBlobId: signed.id, signedBy: key.fingerprint },
  });
  if (taken.count === 1) return signed;
  // Another ingestion of this name signed it first: serve that copy.
  const winner = await ctx.db.packageFileName.findUniqueOrThrow({
    where: { repositoryId_scope_filename: where },
  });
  return (await ctx.db.blob.findUnique({ where: { id: winner.servedBlobId ?? signed.id } })) ?? signed;
}

export async function prepareRpm(ctx: CoreContext, pkg: PackageToPrepare): Promise<PreparedPackage> {
  const rpm = (pkg.metadata as unknown as { rpm: RpmPackage }).rpm;
  const served = await servedCopy(ctx, pkg, rpm);
  return renderRpmEntries(ctx, pkg, rpm, served, pkg.filename ?? '');
}

/** The primary/filelists/other entries of a served (signed) copy at its download name. */
export async function renderRpmEntries(
  ctx: CoreContext,
  pkg: Pick<PackageToPrepare, 'createdAt'>,
  rpm: RpmPackage,
  served: Blob,
  locationHref: string,
): Promise<PreparedPackage> {
  const headerStart = await signedHeaderStart(ctx, served.storageKey);
  const signed: RpmPackage = {
    ...rpm,
    headerStart,
    headerEnd: headerStart + (rpm.headerEnd - rpm.headerStart),
  };
  const file = {
    pkgid: served.sha256,
    size: Number(served.size),
    time: Math.floor(pkg.createdAt.getTime() / 1000),
    locationHref,
  };
  return {
    indexEntry: buildPrimaryEntry(signed, file),
    indexExtra: { filelists: buildFilelistsEntry(signed, file), other: buildOtherEntry(signed, file) },
    servedBlobId: served.id,
  };
}
