// Maps a /dl/... path to the stored object a client should get, enforcing private-repository access.
// Layout: /dl/{org}/{repo}/gpg.asc|gpg.gpg|revoked.asc, /dl/{org}/{repo}/deb/{distro}/(dists|pool)/...,
// /dl/{org}/{repo}/rpm/{distro}/{release}/(repodata|Packages)/...
// Lookups go through a DownloadCache, so a warm request reads nothing from the database.

import type { Blob, Repository } from '@pallet/db';
import { publicKeyToBinary } from '@pallet/openpgp';
import type { Actor } from '../auth/actor';
import { canReadRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound, Unauthorized } from '../errors/domain-errors';
import { fileNameScope } from '../package/claim-file-name';
import { loadPublicKeys } from '../signing-key/load-signing-keys';
import { type DownloadCache, type InlineFile, remember, type ServedFile } from './download-cache';

export type Download =
  | ({ kind: 'stored'; isPrivate: boolean } & ServedFile)
  | ({ kind: 'inline'; isPrivate: boolean } & InlineFile);

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
  cache: DownloadCache,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<Repository> {
  const repo = await cache.repository(`${orgSlug}/${repoSlug}`, () =>
    ctx.db.repository.findFirst({ where: { slug: repoSlug, org: { slug: orgSlug } } }),
  );
  if (repo?.visibility === 'PUBLIC') return repo;
  // Unknown and private repositories look the same to a client without credentials.
  if (actor.kind !== 'token') throw new AuthRequired();
  if (!repo || !canReadRepository(actor, repo)) throw new NotFound('file');
  return repo;
}

/** Decides what a path names for this actor; throws AuthRequired, NotFound. */
export async function resolveDownload(
  ctx: CoreContext,
  cache: DownloadCache,
  actor: Actor,
  segments: string[],
): Promise<Download> {
  if (segments.length < 3 || segments.some((s) => !SEGMENT_RE.test(s) || s === '.' || s === '..')) {
    throw new NotFound('file');
  }
  const [orgSlug, repoSlug, kind, ...rest] = segments as [string, string, string, ...string[]];
  const repo = await resolveRepository(ctx, cache, actor, orgSlug, repoSlug);
  const isPrivate = repo.visibility === 'PRIVATE';
  const files = cache.repositoryFiles(repo.id);
  if (rest.length === 0 && (kind === 'gpg.asc' || kind === 'gpg.gpg' || kind === 'revoked.asc')) {
    let keys = files.keys.get(kind);
    if (!keys) {
      keys = loadKeyFile(ctx, repo.id, kind);
      files.keys.set(kind, keys);
    }
    const key = await keys;
    if (!key) throw new NotFound('file');
    return { kind: 'inline', isPrivate, ...key };
  }
  let file: ServedFile | null;
  if (kind === 'deb' && rest.length >= 3) {
    const [distro, top, ...p] = rest as [string, string, ...string[]];
    if (top === 'dists' && p[0]) {
      file = await findPublishedFile(ctx, files, repo.id, 'DEB', `${distro}/${p[0]}`, [top, ...p].join('/'));
    } else if (top === 'pool') {
      file = await findPackageFile(ctx, files, repo.id, 'DEB', { distro }, [top, ...p].join('/'));
    } else {
      throw new NotFound('file');
    }
  } else if (kind === 'rpm' && rest.length >= 4) {
    const [distro, release, top, ...p] = rest as [string, string, string, ...string[]];
    const name = `${distro}/${release}`;
    const relPath = [top, ...p].join('/');
    if (top === 'Packages') file = await findPackageFile(ctx, files, repo.id, 'RPM', { name }, relPath);
    else if (top === 'repodata') file = await findPublishedFile(ctx, files, repo.id, 'RPM', name, relPath);
    else throw new NotFound('file');
  } else {
    throw new NotFound('file');
  }
  if (!file || (file.retainedUntil !== undefined && file.retainedUntil <= Date.now())) {
    throw new NotFound('file');
  }
  return { kind: 'stored', isPrivate, ...file };
}

async function loadKeyFile(
  ctx: CoreContext,
  repositoryId: string,
  kind: 'gpg.asc' | 'gpg.gpg' | 'revoked.asc',
): Promise<InlineFile | null> {
  if (kind === 'revoked.asc') return loadRevocations(ctx, repositoryId);
  const keys = await loadPublicKeys(ctx, repositoryId);
  if (keys.length === 0) return null;
  const armored = keys.map((k) => k.publicKeyArmored.trim()).join('\n') + '\n';
  return {
    body:
      kind === 'gpg.asc'
        ? Buffer.from(armored, 'utf8')
        : await publicKeyToBinary(keys.map((k) => k.publicKeyArmored)),
    contentType: kind === 'gpg.asc' ? 'application/pgp-keys' : 'application/octet-stream',
    etag: keys
      .map((k) => k.fingerprint)
      .join('-')
      .slice(0, 80),
    lastModified: keys[keys.length - 1]!.createdAt,
  };
}

/**
 * The revocation certificates of the repository's revoked keys: each revoked public key with its
 * key-revocation signature, armored (`gpg --import revoked.asc` marks the keys revoked in a keyring).
 */
async function loadRevocations(ctx: CoreContext, repositoryId: string): Promise<InlineFile | null> {
  const revoked = await ctx.db.signingKey.findMany({
    where: { repositoryId, status: 'REVOKED', revocationCertificate: { not: null } },
    orderBy: { revokedAt: 'asc' },
    select: { fingerprint: true, revocationCertificate: true, revokedAt: true },
  });
  if (revoked.length === 0) return null;
  return {
    body: Buffer.from(revoked.map((k) => k.revocationCertificate!.trim()).join('\n') + '\n', 'utf8'),
    contentType: 'application/pgp-keys',
    etag: `revoked-${revoked.map((k) => k.fingerprint.slice(-8)).join('-')}`.slice(0, 80),
    lastModified: revoked[revoked.length - 1]!.revokedAt ?? new Date(0),
  };
}

/** The current publication's files of one distribution, loaded once per switch. */
async function loadCurrentFiles(
  ctx: CoreContext,
  repositoryId: string,
  format: 'DEB' | 'RPM',
  name: string,
): Promise<Map<string, ServedFile> | null> {
  const dist = await ctx.db.distribution.findUnique({
    where: { repositoryId_format_name: { repositoryId, format, name } },
    select: { currentPublicationId: true, currentPublication: true },
  });
  if (!dist) return null;
  const map = new Map<string, ServedFile>();
  const pub = dist.currentPublication;
  if (!pub) return map;
  const rows = await ctx.db.publicationFile.findMany({ where: { publicationId: pub.id } });
  const lastModified = pub.publishedAt ?? pub.createdAt;
  for (const f of rows) {
    map.set(f.path, {
      storageKey: f.storageKey,
      size: f.size,
      contentType: f.contentType,
      immutable: f.immutable,
      sha256: f.sha256,
      lastModified,
    });
  }
  return map;
}

async function findPublishedFile(
  ctx: CoreContext,
  files: ReturnType<DownloadCache['repositoryFiles']>,
  repositoryId: string,
  format: 'DEB' | 'RPM',
  name: string,
  relPath: string,
): Promise<ServedFile | null> {
  const distKey = `${format}:${name}`;
  let current = files.dists.get(distKey);
  if (!current) {
    current = loadCurrentFiles(ctx, repositoryId, format, name);
    files.dists.set(distKey, current);
    current.catch(() => files.dists.get(distKey) === current && files.dists.delete(distKey));
  }
  const map = await current;
  if (!map) return null;
  const hit = map.get(relPath);
  if (hit) return hit;
  const foundKey = `${distKey}:${relPath}`;
  const found = files.found.get(foundKey);
  if (found) return found;
  // Immutable names (by-hash, checksum-named repodata) stay served from superseded publications
  // for the retention period, so clients and caches holding an older index still succeed.
  const since = new Date(Date.now() - ctx.config.retainSupersededMs);
  const old = await ctx.db.publicationFile.findFirst({
    where: {
      distribution: { repositoryId, format, name },
      path: relPath,
      immutable: true,
      publication: { OR: [{ status: 'PUBLISHED' }, { status: 'SUPERSEDED', supersededAt: { gt: since } }] },
    },
    include: { publication: true },
    orderBy: { publication: { createdAt: 'desc' } },
  });
  if (!old) return null;
  const pub = old.publication;
  const file: ServedFile = {
    storageKey: old.storageKey,
    size: old.size,
    contentType: old.contentType,
    immutable: true,
    sha256: old.sha256,
    lastModified: pub.publishedAt ?? pub.createdAt,
    retainedUntil:
      pub.status === 'SUPERSEDED' && pub.supersededAt
        ? pub.supersededAt.getTime() + ctx.config.retainSupersededMs
        : undefined,
  };
  remember(files.found, foundKey, file);
  return file;
}

async function findPackageFile(
  ctx: CoreContext,
  files: ReturnType<DownloadCache['repositoryFiles']>,
  repositoryId: string,
  format: 'DEB' | 'RPM',
  dist: { distro?: string; name?: string },
  filename: string,
): Promise<ServedFile | null> {
  const foundKey = `${format}:${dist.distro ?? dist.name}:${filename}`;
  const found = files.found.get(foundKey);
  if (found) return found;
  const pkg = await ctx.db.package.findFirst({
    where: {
      repositoryId,
      format,
      filename,
      servedBlobId: { not: null },
      // A removed (deleted, yanked, moved, retention-dropped) package's file stays served for the retention
      // period, so a machine holding an index that listed it, or pinned to the version, can still fetch it.
      OR: [
        { status: { in: ['PUBLISHED', 'PROCESSING', 'DELETING'] } },
        { status: 'REMOVED', removedAt: { gt: new Date(Date.now() - ctx.config.retainSupersededMs) } },
      ],
      distribution: dist.distro ? { distro: dist.distro } : { name: dist.name },
    },
    include: { servedBlob: true, distribution: { select: { name: true } } },
    orderBy: [{ removedAt: { sort: 'desc', nulls: 'first' } }, { updatedAt: 'desc' }],
  });
  const served = pkg?.servedBlob
    ? {
        blob: pkg.servedBlob,
        lastModified: pkg.updatedAt,
        superseded: false,
        removedAt: pkg.status === 'REMOVED' ? pkg.removedAt : null,
      }
    : await resolveSupersededName(ctx, repositoryId, format, dist, filename);
  if (!served) return null;
  const file: ServedFile = {
    storageKey: served.blob.storageKey,
    size: Number(served.blob.size),
    contentType: format === 'DEB' ? 'application/vnd.debian.binary-package' : 'application/x-rpm',
    immutable: true,
    sha256: served.blob.sha256,
    lastModified: served.lastModified,
    retainedUntil: served.superseded
      ? served.lastModified.getTime() + ctx.config.retainSupersededMs
      : 'removedAt' in served && served.removedAt
        ? served.removedAt.getTime() + ctx.config.retainSupersededMs
        : undefined,
    package:
      pkg?.servedBlob && !served.superseded
        ? {
            repositoryId,
            distribution: pkg.distribution.name,
            name: pkg.name,
            version: pkg.version,
            architecture: pkg.architecture,
          }
        : undefined,
  };
  // A package's row changes (status, timestamps) while it is published; only its bytes matter here,
  // and a change of bytes or a deletion notifies `repo:<id>` and drops this entry.
  remember(files.found, foundKey, file);
  return file;
}

/**
 * A name an overwrite moved a package off keeps its bytes for the retention period (a name never
 * serves other bytes: see package/claim-file-name.ts), so a client with the previous index can finish.
 */
async function resolveSupersededName(
  ctx: CoreContext,
  repositoryId: string,
  format: 'DEB' | 'RPM',
  dist: { distro?: string; name?: string },
  filename: string,
): Promise<{ blob: Blob; lastModified: Date; superseded: true } | null> {
  const scope = fileNameScope(format === 'DEB' ? 'deb' : 'rpm', {
    distro: dist.distro ?? '',
    name: dist.name ?? '',
  });
  const claim = await ctx.db.packageFileName.findFirst({
    where: {
      repositoryId,
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
  return blob ? { blob, lastModified: claim.supersededAt ?? claim.createdAt, superseded: true } : null;
}
