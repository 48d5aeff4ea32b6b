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

type Tx = Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0];

const TYPES = ['primary', 'filelists', 'other'] as const;
const MAX_ENTRY_MEMBERS = 64;

const kept = new Map<string, { publicationId: string; base: RepodataBase; bytes: number }>();
const KEPT_MAX_BYTES = 128 << 20;

/** Keeps `base` (a publication's repodata, Repodata.next) as distribution's latest, within a memory bound. */
export function keepRpmRepodataBase(distributionId: string, publicationId: string, base: RepodataBase): void {
  kept.delete(distributionId);
  const bytes = base.docs.reduce((n, d) => n + d.entries.byteLength + d.entryMembers.byteLength, 0);
  if (bytes > KEPT_MAX_BYTES / 2) return;
  kept.set(distributionId, { publicationId, base, bytes });
  let total = 0;
  for (const k of kept.values()) total += k.bytes;
  for (const [id, k] of kept) {
    if (total <= KEPT_MAX_BYTES) break;
    kept.delete(id);
    total -= k.bytes;
  }
}

/** Forgets every kept base (tests: the next append reads storage). */
export function forgetKeptRpmRepodataBases(): void {
  kept.clear();
}

async function readObject(ctx: CoreContext, key: string): Promise<Buffer | null> {
  const obj = await ctx.storage.get(key);
  if (!obj) return null;
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export async function loadRpmRepodataBase(
  ctx: CoreContext,
  tx: Tx,
  distributionId: string,
  current: { id: string; packageCount: number },
  publishedFilenames: string[],
): Promise<RepodataBase | null> {
  const mine = kept.get(distributionId);
  const base =
    mine && mine.publicationId === current.id && mine.base.count === current.packageCount
      ? mine.base
      : await readRpmRepodataBase(ctx, tx, current);
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
      const stored = await readObject(ctx, file.storageKey);
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
