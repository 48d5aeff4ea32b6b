// Logs the signed index files a publication switches in (InRelease, the Release that Release.gpg
// signs, repomd.xml). Called inside the publication's transaction, so a switch and its log entries
// commit together: no client can fetch an index that is not yet in the log.
import { createHmac } from 'node:crypto';
import type { Tx } from '@pallet/db';
import { formatLogEntry } from '@pallet/tlog';
import type { CoreContext } from '../context/core-context';
import { appendToLog } from './append-to-log';

const SIGNED_INDEX = /^(?:dists\/[^/]+\/(InRelease|Release)|repodata\/(repomd\.xml))$/;

/** A key only for commitments, derived from the master key so it needs no storage of its own. */
function commitmentKey(ctx: CoreContext): Buffer {
  return createHmac('sha256', ctx.config.masterKey).update('pallet:transparency-log-commitment').digest();
}

/**
 * Hides a private repository's names: a keyed hash over org/repo, format, distribution and the file's
 * digest (so two entries of one repository cannot be linked to each other either).
 */
export function commitToNames(
  ctx: CoreContext,
  names: { repository: string; format: string; distribution: string; sha256: string },
): string {
  return createHmac('sha256', commitmentKey(ctx))
    .update(`${names.repository}\n${names.format}\n${names.distribution}\n${names.sha256}\n`)
    .digest('hex');
}

export async function logPublication(
  ctx: CoreContext,
  tx: Tx,
  input: { publicationId: string; keyFingerprints: string[] },
) {
  const publication = await tx.publication.findUniqueOrThrow({
    where: { id: input.publicationId },
    include: { distribution: { include: { repository: { include: { org: true } } } } },
  });
  const dist = publication.distribution;
  const repo = dist.repository;
  const files = await tx.publicationFile.findMany({
    where: { publicationId: publication.id, immutable: false },
    select: { path: true, sha256: true },
    orderBy: { path: 'asc' },
  });
  const format = dist.format === 'DEB' ? ('deb' as const) : ('rpm' as const);
  const repository = `${repo.org.slug}/${repo.slug}`;
  const publishedAt = publication.publishedAt ?? publication.createdAt;
  const entries = files.flatMap((f) => {
    const match = SIGNED_INDEX.exec(f.path);
    if (!match) return [];
    const file = match[1] ?? match[2]!;
    const names =
      repo.visibility === 'PRIVATE'
        ? {
            commitment: commitToNames(ctx, { repository, format, distribution: dist.name, sha256: f.sha256 }),
          }
        : { repository, distribution: dist.name };
    return [
      {
        sha256: f.sha256,
        publicationId: publication.id,
        entry: formatLogEntry({
          sha256: f.sha256,
          file,
          format,
          publishedAt,
          keyFingerprints: input.keyFingerprints,
          ...names,
        }),
      },
    ];
  });
  return appendToLog(ctx, tx, entries);
}
