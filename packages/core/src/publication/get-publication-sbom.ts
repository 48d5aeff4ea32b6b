// The SBOM of a publication (CycloneDX 1.6 or SPDX 2.3 JSON), built on request from the package set the
// publication recorded (PackageListing): exact for every retained publication, superseded ones too,
// since a package row a publication lists keeps its bytes (removed and overwritten packages stay as
// REMOVED rows). Publications made before package sets were recorded fall back to the rows' state,
// which is right only for the one a distribution serves now; an older one of those answers 409.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { buildCycloneDx, buildSpdx, type SbomInput } from './build-sbom';

export const sbomQuery = z.object({
  format: z.enum(['cyclonedx', 'spdx'], { message: 'format must be cyclonedx or spdx' }).default('cyclonedx'),
});

interface SbomRow {
  id: string;
  name: string;
  version: string;
  architecture: string;
  filename: string;
  licenses: string[];
  sha256: string;
  sha512: string;
  size: bigint;
}

export interface PublicationSbom {
  format: 'cyclonedx' | 'spdx';
  contentType: string;
  fileName: string;
  document: object;
}

/** The download root of a distribution, as the setup snippets configure apt and dnf. */
export function distributionDownloadRoot(
  dlUrl: string,
  org: string,
  repo: string,
  format: 'DEB' | 'RPM',
  dist: { distro: string; release: string },
): string {
  const root = `${dlUrl}/${org}/${repo}`;
  return format === 'DEB' ? `${root}/deb/${dist.distro}` : `${root}/rpm/${dist.distro}/${dist.release}`;
}

export async function getPublicationSbom(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  publicationId: string,
  rawQuery: unknown,
): Promise<PublicationSbom> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const query = sbomQuery.safeParse(rawQuery);
  if (!query.success) throw new InvalidRequest(query.error.issues[0]?.message ?? 'Invalid query.');
  const publication = await ctx.db.publication.findFirst({
    where: { id: publicationId, distribution: { repositoryId: repository.id } },
    include: { distribution: true },
  });
  if (!publication) throw new NotFound('publication');
  const dist = publication.distribution;
  if (!publication.publishedAt) {
    throw new Conflict(
      `Publication ${publication.id} was never published; it has no SBOM.`,
      'publication_not_published',
    );
  }
  const publishedAt = publication.publishedAt;
  // One join instead of Prisma's relation loads (which pass every blob id back as a parameter): at
  // 10,000 packages this is most of the time an SBOM takes. What clients download is the served blob
  // (a signed rpm differs from its upload).
  let rows = await ctx.db.$queryRaw<SbomRow[]>`
    SELECT p."id", p."name", p."version", p."architecture", p."filename", p."licenses",
           b."sha256", b."sha512", b."size"
      FROM "PackageListing" l
      JOIN "Package" p ON p."id" = l."packageId"
      JOIN "Blob" b ON b."id" = COALESCE(p."servedBlobId", p."blobId")
     WHERE l."distributionId" = ${publication.distributionId}
       AND l."fromGeneration" <= ${publication.generation}
       AND (l."untilGeneration" IS NULL OR l."untilGeneration" > ${publication.generation})
       AND p."filename" IS NOT NULL
     ORDER BY p."name", p."version", p."architecture", p."id"`;
  if (rows.length === 0 && publication.packageCount > 0) {
    if (dist.currentPublicationId !== publication.id) {
      throw new Conflict(
        `Publication ${publication.id} predates recorded package sets and is no longer served; only ${dist.name}'s current publication has an SBOM.`,
        'publication_not_current',
      );
    }
    rows = await ctx.db.$queryRaw<SbomRow[]>`
      SELECT p."id", p."name", p."version", p."architecture", p."filename", p."licenses",
             b."sha256", b."sha512", b."size"
        FROM "Package" p
        JOIN "Blob" b ON b."id" = COALESCE(p."servedBlobId", p."blobId")
       WHERE p."distributionId" = ${dist.id}
         AND p."status" IN ('PUBLISHED', 'DELETING')
         AND p."publishedAt" <= ${publishedAt}
         AND p."filename" IS NOT NULL
       ORDER BY p."name", p."version", p."architecture", p."id"`;
  }
  const format = dist.format === 'DEB' ? ('deb' as const) : ('rpm' as const);
  const input: SbomInput = {
    appUrl: ctx.config.appUrl,
    org: org.slug,
    repository: repository.slug,
    format,
    distribution: { name: dist.name, distro: dist.distro, release: dist.release },
    downloadRoot: distributionDownloadRoot(ctx.config.dlUrl, org.slug, repository.slug, dist.format, dist),
    publication: {
      id: publication.id,
      publishedAt,
      indexPath: format === 'deb' ? `dists/${dist.release}/InRelease` : 'repodata/repomd.xml',
      indexSha256: publication.releaseSha256,
    },
    packages: rows.map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      architecture: r.architecture,
      filename: r.filename,
      sha256: r.sha256,
      sha512: r.sha512,
      size: Number(r.size),
      licenses: r.licenses,
    })),
  };
  const base = `${org.slug}-${repository.slug}-${dist.name.replace('/', '-')}-${publication.id}`;
  return query.data.format === 'cyclonedx'
    ? {
        format: 'cyclonedx',
        contentType: 'application/vnd.cyclonedx+json; version=1.6',
        fileName: `${base}.cdx.json`,
        document: buildCycloneDx(input),
      }
    : {
        format: 'spdx',
        contentType: 'application/spdx+json',
        fileName: `${base}.spdx.json`,
        document: buildSpdx(input),
      };
}
