// The current publication's primary/filelists/other .xml.gz, opened so that a publication which only
// adds packages appends to them (appendRepodata) instead of reading every row and recompressing every
// entry. Any doubt rebuilds from rows: a file missing or whose stored bytes do not match the digest
// it was published under, another layout (an older writer), or a primary that does not list exactly
// the published rows' current download names (a re-signed rpm is served under a new name). After 64
// appends (each adds a gzip member, compressed on its own) a full build restores name order and one
// compressed member.
//
// The worker keeps the repodata the latest publication of a few distributions wrote, opened (the
// files' entries inflated), keyed by that publication: when it is still the current one, the next
// append needs neither storage reads nor inflating. Publication files never change, so a kept entry
// is what storage holds; the download-name check runs either way, and anything else reads storage.
import { createHash } from 'node:crypto';
import { openRepodataBase, type RepodataBase, repodataBaseLists } from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { LatestPublicationCache } from './latest-publication-cache';
import { readStoredFile } from './read-stored-file';

type Tx = Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0];

const TYPES = ['primary', 'filelists', 'other'] as const;
const MAX_ENTRY_MEMBERS = 64;

const KEPT_MAX_BYTES = 128 << 20;
// A distribution's repodata larger than half the budget is not kept.
const kept = new LatestPublicationCache<RepodataBase>(KEPT_MAX_BYTES, KEPT_MAX_BYTES / 2);

/** Keeps `base` (a publication's repodata, Repodata.next) as distribution's latest, within a memory bound. */
export function keepRpmRepodataBase(distributionId: string, publicationId: string, base: RepodataBase): void {
  const bytes = base.docs.reduce((n, d) => n + d.entries.byteLength + d.entryMembers.byteLength, 0);
  kept.remember(distributionId, publicationId, base, bytes);
}

/** Forgets every kept base (tests: the next append reads storage). */
export function forgetKeptRpmRepodataBases(): void {
  kept.clear();
}

export async function loadRpmRepodataBase(
  ctx: CoreContext,
  tx: Tx,
  current: { id: string; packageCount: number },
  publishedFilenames: string[],
): Promise<RepodataBase | null> {
  const mine = kept.recall(current.id);
  const base =
    mine && mine.count === current.packageCount ? mine : await readRpmRepodataBase(ctx, tx, current);
  if (!base || base.entryMemberCount >= MAX_ENTRY_MEMBERS) return null;
  if (!repodataBaseLists(base, publishedFilenames)) return null;
  return base;
}

async function readRpmRepodataBase(
  ctx: CoreContext,
  tx: Tx,
  current: { id: string; packageCount: number },
): Promise<RepodataBase | null> {
  const files = await tx.publicationFile.findMany({
    where: { publicationId: current.id, immutable: true, path: { startsWith: 'repodata/' } },
    select: { path: true, storageKey: true, sha256: true },
  });
  const read = await Promise.all(
    TYPES.map(async (type) => {
      const matching = files.filter((f) => f.path.endsWith(`-${type}.xml.gz`));
      const file = matching[0];
      if (!file || matching.length !== 1) return null;
      const stored = await readStoredFile(ctx, file.storageKey);
      if (!stored) return null;
      if (createHash('sha256').update(stored).digest('hex') !== file.sha256) {
        ctx.log.warn(
          { publicationId: current.id, path: file.path },
          'stored repodata does not match its digest; rebuilding from rows',
        );
        return null;
      }
      return stored;
    }),
  );
  const [primary, filelists, other] = read;
  if (!primary || !filelists || !other) return null;
  return openRepodataBase({ primary, filelists, other }, current.packageCount);
}
