// The current publication's primary/filelists/other .xml.gz, opened so that a publication which only
// adds packages appends to them (appendRepodata) instead of reading every row and recompressing every
// entry. Any doubt rebuilds from rows: a file missing or whose stored bytes do not match the digest
// it was published under, another layout (an older writer), or a primary that does not list exactly
// the published rows' current download names (a re-signed rpm is served under a new name). After 64
// appends (each adds a gzip member, compressed on its own) a full build restores name order and one
// compressed member.
import { createHash } from 'node:crypto';
import { openRepodataBase, type RepodataBase, repodataBaseLists } from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';

type Tx = Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0];

const TYPES = ['primary', 'filelists', 'other'] as const;
const MAX_ENTRY_MEMBERS = 64;

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
  current: { id: string; packageCount: number },
  publishedFilenames: string[],
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
  const base = await openRepodataBase({ primary, filelists, other }, current.packageCount);
  if (!base || base.entryMemberCount >= MAX_ENTRY_MEMBERS) return null;
  if (!repodataBaseLists(base, publishedFilenames)) return null;
  return base;
}
