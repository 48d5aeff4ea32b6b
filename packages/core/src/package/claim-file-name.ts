// A download name (`pool/.../hello_1.0_amd64.deb`, `Packages/h/hello-1.0-1.noarch.rpm`) is served
// as immutable for a year, so it must never change its bytes. The first content to use a name keeps
// it for good (deletion included); other bytes for the same package identity — an overwrite, or a
// re-upload after deletion — get the same file name in a directory named after their digest.
import { asRawSql, Prisma, queryRows, type RawSql, type Tx } from '@pallet/db';
import { Conflict } from '../errors/domain-errors';

/** Names resolve per distro for .debs (one pool per distro) and per distribution for .rpms. */
export function fileNameScope(format: 'deb' | 'rpm', dist: { distro: string; name: string }): string {
  return format === 'deb' ? `deb:${dist.distro}` : `rpm:${dist.name}`;
}

/**
 * The statement that claims `filename` for these bytes if it is free, and returns who holds it
 * (`uploadSha256`) either way: of two uploads racing for a name, one wins and one moves on. A name held
 * by these same bytes is a package's current one again (an overwrite back to these bytes), so it is no
 * longer superseded. `when` makes the claim conditional (upload-package.ts: only when no package row
 * is live); the caller may use it as a CTE.
 */
export function claimFileNameSql(
  where: { repositoryId: string; scope: string },
  filename: string,
  uploadSha256: string,
  when: Prisma.Sql = Prisma.sql`TRUE`,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PackageFileName" ("repositoryId", "scope", "filename", "uploadSha256", "createdAt")
    SELECT ${where.repositoryId}::text, ${where.scope}::text, ${filename}::text, ${uploadSha256}::text,
           now() AT TIME ZONE 'UTC'
    WHERE ${when}
    ON CONFLICT ("repositoryId", "scope", "filename") DO UPDATE SET "supersededAt" =
      CASE WHEN "PackageFileName"."uploadSha256" = EXCLUDED."uploadSha256" THEN NULL
           ELSE "PackageFileName"."supersededAt" END
    RETURNING "filename", "uploadSha256"`;
}

function withDigestDirectory(filename: string, digest: string): string {
  const slash = filename.lastIndexOf('/');
  return `${filename.slice(0, slash + 1)}${digest}/${filename.slice(slash + 1)}`;
}

/** Returns the name these bytes are served under: the canonical one unless other bytes hold it. */
export async function claimFileName(
  db: Tx | RawSql,
  where: { repositoryId: string; scope: string },
  canonical: string,
  uploadSha256: string,
): Promise<string> {
  const candidates = [
    canonical,
    withDigestDirectory(canonical, uploadSha256.slice(0, 16)),
    withDigestDirectory(canonical, uploadSha256),
  ];
  const sql = asRawSql(db);
  for (const filename of candidates) {
    const claims = await queryRows<{ uploadSha256: string }>(
      sql,
      claimFileNameSql(where, filename, uploadSha256),
    );
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
  db: Tx | RawSql,
  where: { repositoryId: string; scope: string },
  filename: string,
): Promise<void> {
  await queryRows(
    asRawSql(db),
    Prisma.sql`UPDATE "PackageFileName" SET "supersededAt" = clock_timestamp() AT TIME ZONE 'UTC'
      WHERE "repositoryId" = ${where.repositoryId} AND "scope" = ${where.scope} AND "filename" = ${filename}`,
  );
}
