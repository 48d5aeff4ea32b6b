// A download name (`pool/.../hello_1.0_amd64.deb`, `Packages/h/hello-1.0-1.noarch.rpm`) is served
// as immutable for a year, so it must never change its bytes. The first content to use a name keeps
// it for good (deletion included); other bytes for the same package identity — an overwrite, or a
// re-upload after deletion — get the same file name in a directory named after their digest.
import type { Tx } from '@pallet/db';
import { Conflict } from '../errors/domain-errors';

/** Names resolve per distro for .debs (one pool per distro) and per distribution for .rpms. */
export function fileNameScope(format: 'deb' | 'rpm', dist: { distro: string; name: string }): string {
  return format === 'deb' ? `deb:${dist.distro}` : `rpm:${dist.name}`;
}

function withDigestDirectory(filename: string, digest: string): string {
  const slash = filename.lastIndexOf('/');
  return `${filename.slice(0, slash + 1)}${digest}/${filename.slice(slash + 1)}`;
}

/** Returns the name these bytes are served under: the canonical one unless other bytes hold it. */
export async function claimFileName(
  tx: Tx,
  where: { repositoryId: string; scope: string },
  canonical: string,
  uploadSha256: string,
): Promise<string> {
  const candidates = [
    canonical,
    withDigestDirectory(canonical, uploadSha256.slice(0, 16)),
    withDigestDirectory(canonical, uploadSha256),
  ];
  for (const filename of candidates) {
    // One statement claims a free name or reads who holds it (of two uploads racing for a name, one wins
    // and one moves on); a name held by these same bytes is a package's current one again (an overwrite
    // back to these bytes), so it is no longer superseded.
    const claims = await tx.$queryRaw<{ uploadSha256: string }[]>`
      INSERT INTO "PackageFileName" ("repositoryId", "scope", "filename", "uploadSha256", "createdAt")
      VALUES (${where.repositoryId}, ${where.scope}, ${filename}, ${uploadSha256}, now() AT TIME ZONE 'UTC')
      ON CONFLICT ("repositoryId", "scope", "filename") DO UPDATE SET "supersededAt" =
        CASE WHEN "PackageFileName"."uploadSha256" = EXCLUDED."uploadSha256" THEN NULL
             ELSE "PackageFileName"."supersededAt" END
      RETURNING "uploadSha256"`;
    if (claims[0]?.uploadSha256 === uploadSha256) return filename;
  }
  throw new Conflict('No free download name is left for this package file.', 'file_name_taken');
}

/**
 * Records that an overwrite moved a package off `filename`. The name keeps answering with its bytes for
 * the retention period (as superseded by-hash indexes do), so a machine that read the previous index
 * just before the overwrite still gets the file that index promised.
 */
export async function supersedeFileName(
  tx: Tx,
  where: { repositoryId: string; scope: string },
  filename: string,
): Promise<void> {
  await tx.packageFileName.updateMany({
    where: { ...where, filename },
    data: { supersededAt: new Date() },
  });
}
