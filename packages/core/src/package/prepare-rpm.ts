// Signs an uploaded rpm with the repository key (header signature, as `rpmsign --addsign` does) and
// renders its primary/filelists/other entries from the signed file's digest and header range.
import { createHash, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Blob, Package } from '@pallet/db';
import { detachSign } from '@pallet/openpgp';
import {
  buildFilelistsEntry,
  buildOtherEntry,
  buildPrimaryEntry,
  type RpmPackage,
  signRpmHeader,
} from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { loadSigningKeys } from '../signing-key/load-signing-keys';
import type { PreparedPackage } from './ingest-package';

async function readBytes(ctx: CoreContext, key: string, start: number, end: number): Promise<Uint8Array> {
  const obj = await ctx.storage.get(key, { range: { start, end } });
  if (!obj) throw new Error('uploaded package bytes are missing from storage');
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export async function prepareRpm(ctx: CoreContext, pkg: Package & { blob: Blob }): Promise<PreparedPackage> {
  const rpm = (pkg.metadata as unknown as { rpm: RpmPackage }).rpm;
  const keys = await loadSigningKeys(ctx, pkg.repositoryId);
  // rpm <= 4.19 holds one signature: sign with the newest active key.
  const key = keys[keys.length - 1]!;
  const head = await readBytes(ctx, pkg.blob.storageKey, 0, rpm.headerEnd - 1);
  const { newPrefix, mainHeaderOffset } = await signRpmHeader(
    head,
    async (mainHeader) =>
      (await detachSign(mainHeader, [key.privateKeyArmored], { armor: false })) as Uint8Array,
    key.algorithm === 'ed25519' ? 'eddsa' : 'rsa',
  );
  const size = Number(pkg.blob.size);
  const rest = await ctx.storage.get(pkg.blob.storageKey, {
    range: { start: mainHeaderOffset, end: size - 1 },
  });
  if (!rest) throw new Error('uploaded package bytes are missing from storage');
  const hashes = ['sha256', 'sha512', 'sha1', 'md5'].map((a) => createHash(a));
  const body = new PassThrough();
  const storageKey = `signed/${randomUUID()}`;
  const put = ctx.storage.put(storageKey, body);
  let signedSize = 0;
  const feed = async () => {
    for (const chunk of [newPrefix]) {
      for (const h of hashes) h.update(chunk);
      signedSize += chunk.length;
      body.write(chunk);
    }
    for await (const raw of rest.body) {
      const chunk = raw as Buffer;
      for (const h of hashes) h.update(chunk);
      signedSize += chunk.length;
      if (!body.write(chunk)) await new Promise((r) => body.once('drain', r));
    }
    body.end();
  };
  await Promise.all([feed(), put]);
  const [sha256, sha512, sha1, md5] = hashes.map((h) => h.digest('hex')) as [string, string, string, string];
  let blob = await ctx.db.blob.findUnique({ where: { sha256 } });
  if (blob) {
    await ctx.storage.delete(storageKey);
  } else {
    blob = await ctx.db.blob.create({
      data: { sha256, sha512, sha1, md5, size: BigInt(signedSize), storageKey },
    });
  }
  const headerStart = newPrefix.length;
  const signed: RpmPackage = {
    ...rpm,
    headerStart,
    headerEnd: headerStart + (rpm.headerEnd - rpm.headerStart),
  };
  const file = {
    pkgid: sha256,
    size: signedSize,
    time: Math.floor(pkg.createdAt.getTime() / 1000),
    locationHref: pkg.filename ?? '',
  };
  return {
    indexEntry: buildPrimaryEntry(signed, file),
    indexExtra: { filelists: buildFilelistsEntry(signed, file), other: buildOtherEntry(signed, file) },
    servedBlobId: blob.id,
  };
}
