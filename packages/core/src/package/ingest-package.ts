// Worker step after an upload: prepares what clients are served (rpm: signed copy) and the package's
// pre-rendered index entry, then bumps the distribution's generation so a publication follows.

import type { Blob, Package } from '@pallet/db';
import { buildPackagesStanza, type DebPackage } from '@pallet/deb';
import type { CoreContext } from '../context/core-context';
import { requestPublication } from '../publication/request-publication';
import { prepareRpm } from './prepare-rpm';

export async function ingestPackage(ctx: CoreContext, packageId: string): Promise<void> {
  const pkg = await ctx.db.package.findUnique({
    where: { id: packageId },
    include: { blob: true, distribution: true, repository: true },
  });
  if (!pkg || pkg.status === 'DELETING') return;
  if (!pkg.indexEntry) {
    const prepared = pkg.format === 'DEB' ? prepareDeb(pkg) : await prepareRpm(ctx, pkg);
    await ctx.db.package.update({
      where: { id: pkg.id },
      data: {
        indexEntry: prepared.indexEntry,
        indexExtra: prepared.indexExtra ?? undefined,
        servedBlobId: prepared.servedBlobId,
        error: null,
      },
    });
  }
  const dist = await ctx.db.distribution.update({
    where: { id: pkg.distributionId },
    data: { generation: { increment: 1 } },
  });
  await requestPublication(ctx, dist.id, dist.generation);
}

export interface PreparedPackage {
  indexEntry: string;
  indexExtra?: object;
  servedBlobId: string;
}

function prepareDeb(pkg: Package & { blob: Blob }): PreparedPackage {
  const deb = (pkg.metadata as unknown as { deb: DebPackage }).deb;
  const b = pkg.blob;
  const indexEntry = buildPackagesStanza(deb, {
    filename: pkg.filename ?? '',
    size: Number(b.size),
    md5: b.md5,
    sha1: b.sha1,
    sha256: b.sha256,
    sha512: b.sha512,
  });
  return { indexEntry, servedBlobId: b.id };
}

/** Called when the last retry failed: the package shows `failed` with the reason. */
export async function markIngestFailed(ctx: CoreContext, packageId: string, reason: string): Promise<void> {
  await ctx.db.package.updateMany({
    where: { id: packageId, status: 'PROCESSING' },
    data: { status: 'FAILED', error: reason.slice(0, 500) },
  });
}
