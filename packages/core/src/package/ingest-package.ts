// Worker step after an upload: prepares what clients are served (prepare-deb / prepare-rpm) and the
// package's pre-rendered index entry, then bumps the distribution's generation so a publication follows.
import type { CoreContext } from '../context/core-context';
import { requestPublication } from '../publication/request-publication';
import { publishKeyringPackages } from '../signing-key/publish-keyring-packages';
import { resignStaleCopy } from '../signing-key/rekey-repository';
import { emitPackageEvent } from '../webhook/package-events';
import { prepareDeb } from './prepare-deb';
import { prepareRpm } from './prepare-rpm';

export async function ingestPackage(ctx: CoreContext, packageId: string): Promise<void> {
  const pkg = await ctx.db.package.findUnique({
    where: { id: packageId },
    include: { blob: true, distribution: true, repository: true },
  });
  if (!pkg || pkg.status === 'DELETING') return;
  if (!pkg.indexEntry) {
    const prepared = pkg.format === 'DEB' ? prepareDeb(pkg) : await prepareRpm(ctx, pkg);
    // Guarded by the bytes it was prepared from: an overwrite meanwhile must not get this entry.
    await ctx.db.package.updateMany({
      where: { id: pkg.id, blobId: pkg.blobId, filename: pkg.filename, indexEntry: null },
      data: {
        indexEntry: prepared.indexEntry,
        indexExtra: prepared.indexExtra ?? undefined,
        servedBlobId: prepared.servedBlobId,
        error: null,
      },
    });
    if (pkg.format === 'RPM') await resignStaleCopy(ctx, pkg.id);
  }
  const dist = await ctx.db.distribution.update({
    where: { id: pkg.distributionId },
    data: { generation: { increment: 1 } },
  });
  await requestPublication(ctx, dist.id, dist.generation);
  // Every distribution carries the repository's keyring package (uploaded once per key change).
  // A failure here must not fail this package's ingestion: the next ingestion or key change retries.
  if (ctx.config.keyringPackages && !pkg.name.endsWith('-archive-keyring')) {
    await publishKeyringPackages(ctx, pkg.repositoryId, { distributionId: pkg.distributionId }).catch((err) =>
      ctx.log.warn(
        { repositoryId: pkg.repositoryId, distributionId: pkg.distributionId, err: (err as Error).message },
        'could not add the keyring package',
      ),
    );
  }
}

/** Called when the last retry failed: the package shows `failed` with the reason. */
export async function markIngestFailed(ctx: CoreContext, packageId: string, reason: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.package.updateMany({
      where: { id: packageId, status: 'PROCESSING' },
      data: { status: 'FAILED', error: reason.slice(0, 500) },
    });
    if (count) await emitPackageEvent(tx, 'package.failed', packageId, { error: reason.slice(0, 500) });
  });
}
