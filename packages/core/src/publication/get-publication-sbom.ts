// The SBOM of a publication (CycloneDX 1.6 or SPDX 2.3 JSON), built on request from the package rows the
// publication switched in. Rows record only the current state, so an SBOM is made for the publication
// a distribution currently serves; an older one answers 409 (its package set is no longer known exactly).
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { buildCycloneDx, buildSpdx, type SbomInput } from './build-sbom';

export const sbomQuery = z.object({
  format: z.enum(['cyclonedx', 'spdx'], { message: 'format must be cyclonedx or spdx' }).default('cyclonedx'),
});

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
  if (dist.currentPublicationId !== publication.id || !publication.publishedAt) {
    throw new Conflict(
      `Publication ${publication.id} is not the one ${dist.name} serves now; SBOMs are made for the current publication.`,
      'publication_not_current',
    );
  }
  const rows = await ctx.db.package.findMany({
    where: {
      distributionId: dist.id,
      status: { in: ['PUBLISHED', 'DELETING'] },
      publishedAt: { not: null, lte: publication.publishedAt },
      filename: { not: null },
    },
    select: {
      id: true,
      name: true,
      version: true,
      architecture: true,
      filename: true,
      licenses: true,
      blob: { select: { sha256: true, sha512: true, size: true } },
      servedBlob: { select: { sha256: true, sha512: true, size: true } },
    },
    orderBy: [{ name: 'asc' }, { version: 'asc' }, { architecture: 'asc' }, { id: 'asc' }],
  });
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
      publishedAt: publication.publishedAt,
      indexPath: format === 'deb' ? `dists/${dist.release}/InRelease` : 'repodata/repomd.xml',
      indexSha256: publication.releaseSha256,
    },
    packages: rows.map((r) => {
      // What clients download: the served bytes (a signed rpm differs from its upload).
      const blob = r.servedBlob ?? r.blob;
      return {
        id: r.id,
        name: r.name,
        version: r.version,
        architecture: r.architecture,
        filename: r.filename as string,
        sha256: blob.sha256,
        sha512: blob.sha512,
        size: Number(blob.size),
        licenses: r.licenses,
      };
    }),
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
