// Maps a /dl/... path to the stored object a client should get, enforcing private-repository access.
// Layout: /dl/{org}/{repo}/gpg.asc|gpg.gpg, /dl/{org}/{repo}/deb/{distro}/(dists|pool)/...,
// /dl/{org}/{repo}/rpm/{distro}/{release}/(repodata|Packages)/...

import type { Blob, Repository } from '@pallet/db';
import { publicKeyToBinary } from '@pallet/openpgp';
import type { Actor } from '../auth/actor';
import { canReadRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound, Unauthorized } from '../errors/domain-errors';
import { fileNameScope } from '../package/claim-file-name';
import { loadPublicKeys } from '../signing-key/load-signing-keys';

export type Download =
  | {
      kind: 'stored';
      storageKey: string;
      size: number;
      contentType: string;
      immutable: boolean;
      etag: string;
      lastModified: Date;
      isPrivate: boolean;
    }
  | {
      kind: 'inline';
      body: Uint8Array;
      contentType: string;
      etag: string;
      lastModified: Date;
      isPrivate: boolean;
    };

const SEGMENT_RE = /^[A-Za-z0-9._+~-]+$/;

export class AuthRequired extends Unauthorized {
  constructor() {
    super(
      'This repository needs credentials: HTTP Basic with a read token as the password.',
      'auth_required',
    );
  }
}

async function resolveRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<Repository> {
  const repo = await ctx.db.repository.findFirst({ where: { slug: repoSlug, org: { slug: orgSlug } } });
  if (repo?.visibility === 'PUBLIC') return repo;
  // Unknown and private repositories look the same to a client without credentials.
  if (actor.kind !== 'token') throw new AuthRequired();
  if (!repo || !canReadRepository(actor, repo)) throw new NotFound('file');
  return repo;
}

export async function resolveDownload(ctx: CoreContext, actor: Actor, segments: string[]): Promise<Download> {
  if (segments.length < 3 || segments.some((s) => !SEGMENT_RE.test(s) || s === '.' || s === '..')) {
    throw new NotFound('file');
  }
  const [orgSlug, repoSlug, kind, ...rest] = segments as [string, string, string, ...string[]];
  const repo = await resolveRepository(ctx, actor, orgSlug, repoSlug);
  const isPrivate = repo.visibility === 'PRIVATE';
  if (rest.length === 0 && (kind === 'gpg.asc' || kind === 'gpg.gpg')) {
    const keys = await loadPublicKeys(ctx, repo.id);
    if (keys.length === 0) throw new NotFound('file');
    const armored = keys.map((k) => k.publicKeyArmored.trim()).join('\n') + '\n';
    const body =
      kind === 'gpg.asc'
        ? Buffer.from(armored, 'utf8')
        : await publicKeyToBinary(keys.map((k) => k.publicKeyArmored));
    const etag = keys
      .map((k) => k.fingerprint)
      .join('-')
      .slice(0, 80);
    return {
      kind: 'inline',
      body,
      contentType: kind === 'gpg.asc' ? 'application/pgp-keys' : 'application/octet-stream',
      etag,
      lastModified: keys[keys.length - 1]!.createdAt,
      isPrivate,
    };
  }
  let format: 'DEB' | 'RPM';
  let distName: string;
  let path: string[];
  if (kind === 'deb' && rest.length >= 3) {
    format = 'DEB';
    const [distro, top, ...p] = rest as [string, string, ...string[]];
    if (top === 'dists') {
      const release = p[0];
      if (!release) throw new NotFound('file');
      distName = `${distro}/${release}`;
    } else if (top === 'pool') {
      return resolvePackageFile(ctx, repo, 'DEB', { distro }, ['pool', ...p].join('/'));
    } else {
      throw new NotFound('file');
    }
    path = [top, ...p];
  } else if (kind === 'rpm' && rest.length >= 4) {
    format = 'RPM';
    const [distro, release, top, ...p] = rest as [string, string, string, ...string[]];
    distName = `${distro}/${release}`;
    if (top === 'Packages')
      return resolvePackageFile(ctx, repo, 'RPM', { name: distName }, ['Packages', ...p].join('/'));
    if (top !== 'repodata') throw new NotFound('file');
    path = [top, ...p];
  } else {
    throw new NotFound('file');
  }
  const dist = await ctx.db.distribution.findUnique({
    where: { repositoryId_format_name: { repositoryId: repo.id, format, name: distName } },
  });
  if (!dist) throw new NotFound('file');
  const relPath = path.join('/');
  const current = dist.currentPublicationId
    ? await ctx.db.publicationFile.findUnique({
        where: { publicationId_path: { publicationId: dist.currentPublicationId, path: relPath } },
        include: { publication: true },
      })
    : null;
  let file = current;
  if (!file) {
    // Immutable names (by-hash, checksum-named repodata) stay served from superseded publications
    // for the retention period, so clients and caches holding an older index still succeed.
    const since = new Date(Date.now() - ctx.config.retainSupersededMs);
    file = await ctx.db.publicationFile.findFirst({
      where: {
        distributionId: dist.id,
        path: relPath,
        immutable: true,
        publication: { OR: [{ status: 'PUBLISHED' }, { status: 'SUPERSEDED', supersededAt: { gt: since } }] },
      },
      include: { publication: true },
      orderBy: { publication: { createdAt: 'desc' } },
    });
  }
  if (!file) throw new NotFound('file');
  return {
    kind: 'stored',
    storageKey: file.storageKey,
    size: file.size,
    contentType: file.contentType,
    immutable: file.immutable,
    etag: file.sha256,
    lastModified: file.publication.publishedAt ?? file.publication.createdAt,
    isPrivate,
  };
}

async function resolvePackageFile(
  ctx: CoreContext,
  repo: Repository,
  format: 'DEB' | 'RPM',
  dist: { distro?: string; name?: string },
  filename: string,
): Promise<Download> {
  const pkg = await ctx.db.package.findFirst({
    where: {
      repositoryId: repo.id,
      format,
      filename,
      servedBlobId: { not: null },
      status: { in: ['PUBLISHED', 'PROCESSING', 'DELETING'] },
      distribution: dist.distro ? { distro: dist.distro } : { name: dist.name },
    },
    include: { servedBlob: true },
    orderBy: { updatedAt: 'desc' },
  });
  const served = pkg?.servedBlob
    ? { blob: pkg.servedBlob, lastModified: pkg.updatedAt }
    : await resolveSupersededName(ctx, repo, format, dist, filename);
  if (!served) throw new NotFound('file');
  return {
    kind: 'stored',
    storageKey: served.blob.storageKey,
    size: Number(served.blob.size),
    contentType: format === 'DEB' ? 'application/vnd.debian.binary-package' : 'application/x-rpm',
    immutable: true,
    etag: served.blob.sha256,
    lastModified: served.lastModified,
    isPrivate: repo.visibility === 'PRIVATE',
  };
}

/**
 * A name an overwrite moved a package off keeps its bytes for the retention period (a name never
 * serves other bytes: see package/claim-file-name.ts), so a client with the previous index can finish.
 */
async function resolveSupersededName(
  ctx: CoreContext,
  repo: Repository,
  format: 'DEB' | 'RPM',
  dist: { distro?: string; name?: string },
  filename: string,
): Promise<{ blob: Blob; lastModified: Date } | null> {
  const scope = fileNameScope(format === 'DEB' ? 'deb' : 'rpm', {
    distro: dist.distro ?? '',
    name: dist.name ?? '',
  });
  const claim = await ctx.db.packageFileName.findFirst({
    where: {
      repositoryId: repo.id,
      scope,
      filename,
      supersededAt: { gt: new Date(Date.now() - ctx.config.retainSupersededMs) },
    },
  });
  if (!claim) return null;
  // A .deb is served as uploaded; an rpm as its signed copy, recorded once it was prepared.
  const blob =
    format === 'DEB'
      ? await ctx.db.blob.findUnique({ where: { sha256: claim.uploadSha256 } })
      : claim.servedBlobId
        ? await ctx.db.blob.findUnique({ where: { id: claim.servedBlobId } })
        : null;
  return blob ? { blob, lastModified: claim.supersededAt ?? claim.createdAt } : null;
}
