// The canonical repository paths a publication switch changed: its mutable files (InRelease, Packages,
// repomd.xml...) that are new or differ from the publication it superseded, and those it dropped. These
// are what a CDN must forget; immutable names (pool, by-hash, checksum-named) never change content.
import type { CoreContext } from '../context/core-context';

export interface ChangedPaths {
  publicationId: string;
  /** `org/repo` */
  repository: string;
  /** `debian/bookworm`, `el/9` */
  distribution: string;
  format: 'deb' | 'rpm';
  /** URL paths as served, e.g. `/dl/acme/tools/deb/debian/dists/bookworm/InRelease`. */
  paths: string[];
  /** The same under DL_URL. */
  urls: string[];
}

export async function listChangedPaths(
  ctx: CoreContext,
  publicationId: string,
): Promise<ChangedPaths | null> {
  const publication = await ctx.db.publication.findUnique({
    where: { id: publicationId },
    include: {
      files: { where: { immutable: false }, select: { path: true, sha256: true } },
      distribution: { include: { repository: { include: { org: true } } } },
    },
  });
  if (!publication) return null;
  const previous = await ctx.db.publication.findFirst({
    where: { distributionId: publication.distributionId, createdAt: { lt: publication.createdAt } },
    orderBy: { createdAt: 'desc' },
    include: { files: { where: { immutable: false }, select: { path: true, sha256: true } } },
  });
  const before = new Map((previous?.files ?? []).map((f) => [f.path, f.sha256]));
  const changed = new Set<string>();
  for (const f of publication.files) if (before.get(f.path) !== f.sha256) changed.add(f.path);
  const now = new Set(publication.files.map((f) => f.path));
  for (const path of before.keys()) if (!now.has(path)) changed.add(path);

  const dist = publication.distribution;
  const repo = dist.repository;
  const format = dist.format === 'DEB' ? 'deb' : 'rpm';
  // Layout (see resolve-download): deb/{distro}/dists/..., rpm/{distro}/{release}/repodata/...
  const distPath = format === 'deb' ? dist.distro : dist.name;
  const dl = new URL(ctx.config.dlUrl);
  const base = `${dl.pathname.replace(/\/+$/, '')}/${repo.org.slug}/${repo.slug}/${format}/${distPath}`;
  const paths = [...changed].sort().map((p) => `${base}/${p}`);
  return {
    publicationId,
    repository: `${repo.org.slug}/${repo.slug}`,
    distribution: dist.name,
    format,
    paths,
    urls: paths.map((p) => `${dl.origin}${p}`),
  };
}
