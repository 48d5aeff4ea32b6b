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

interface SignedIndexRow {
  path: string;
  sha256: string;
  format: string;
  distribution: string;
  org: string;
  repo: string;
  visibility: string;
  publishedAt: Date;
}

export async function logPublication(
  ctx: CoreContext,
  tx: Tx,
  input: { publicationId: string; keyFingerprints: string[] },
) {
  // One round trip: the publication's signed index files with the names its entries need.
  const files = await tx.$queryRaw<SignedIndexRow[]>`
    SELECT f.path, f.sha256, d.format::text AS format, d.name AS distribution, o.slug AS org, r.slug AS repo,
           r.visibility::text AS visibility, COALESCE(p."publishedAt", p."createdAt") AS "publishedAt"
      FROM "PublicationFile" f
      JOIN "Publication" p ON p.id = f."publicationId"
      JOIN "Distribution" d ON d.id = p."distributionId"
      JOIN "Repository" r ON r.id = d."repositoryId"
      JOIN "Org" o ON o.id = r."orgId"
     WHERE f."publicationId" = ${input.publicationId} AND f.immutable = false
     ORDER BY f.path`;
  const entries = files.flatMap((f) => {
    const match = SIGNED_INDEX.exec(f.path);
    if (!match) return [];
    const file = match[1] ?? match[2]!;
    const format = f.format === 'DEB' ? ('deb' as const) : ('rpm' as const);
    const repository = `${f.org}/${f.repo}`;
    const names =
      f.visibility === 'PRIVATE'
        ? {
            commitment: commitToNames(ctx, {
              repository,
              format,
              distribution: f.distribution,
              sha256: f.sha256,
            }),
          }
        : { repository, distribution: f.distribution };
    return [
      {
        sha256: f.sha256,
        publicationId: input.publicationId,
        entry: formatLogEntry({
          sha256: f.sha256,
          file,
          format,
          publishedAt: f.publishedAt,
          keyFingerprints: input.keyFingerprints,
          ...names,
        }),
      },
    ];
  });
  return appendToLog(ctx, tx, entries);
}
