// The current publication's Packages and Packages.gz of every component/architecture, with the
// digests its Release lists, so that a publication which only adds packages appends to them
// (build-deb-publication.ts) instead of reading every row and recompressing every index. When this
// process built that publication, its indexes come from memory (deb-index-cache.ts), checked against
// the digests of the files the publication lists; otherwise from storage, checked against its Release.
import { getField, parseDeb822Stanza } from '@pallet/deb';
import type { CoreContext } from '../context/core-context';
import type { DebIndexBase } from './build-deb-publication';
import { recallDebIndexes } from './deb-index-cache';
import { DigestState } from './digest-state';
import type { Digests } from './publication-file';
import { readStoredFile } from './read-stored-file';

type Tx = Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0];

/** Path → digests from a Release's MD5Sum, SHA256 and SHA512 lists (a path missing from one is left out). */
function releaseDigests(release: string): Map<string, Digests> {
  const fields = parseDeb822Stanza(release);
  const lists = (['MD5Sum', 'SHA256', 'SHA512'] as const).map((name) => {
    const byPath = new Map<string, { hex: string; size: number }>();
    for (const line of (getField(fields, name) ?? '').split('\n')) {
      const [hex, size, path] = line.trim().split(/\s+/);
      if (hex && size && path) byPath.set(path, { hex, size: Number(size) });
    }
    return byPath;
  });
  const [md5, sha256, sha512] = lists as [(typeof lists)[0], (typeof lists)[0], (typeof lists)[0]];
  const out = new Map<string, Digests>();
  for (const [path, m] of md5) {
    const s256 = sha256.get(path);
    const s512 = sha512.get(path);
    if (s256 && s512 && s256.size === m.size && s512.size === m.size)
      out.set(path, { md5: m.hex, sha256: s256.hex, sha512: s512.hex, size: m.size });
  }
  return out;
}

/**
 * The indexes of publication `publicationId` by `component/binary-arch`, or null when they cannot
 * serve as a base: a directory in `needed` that it lacks, .xz indexes, or a file missing or whose
 * bytes do not match what its Release says.
 */
export async function loadDebIndexBase(
  ctx: CoreContext,
  tx: Tx,
  publicationId: string,
  release: string,
  needed: readonly string[],
): Promise<Map<string, DebIndexBase> | null> {
  const dists = `dists/${release}/`;
  const files = await tx.publicationFile.findMany({
    where: { publicationId, immutable: false, path: { startsWith: dists } },
    select: { path: true, storageKey: true, sha256: true },
  });
  const byPath = new Map(files.map((f) => [f.path.slice(dists.length), f]));
  const cached = recallDebIndexes(publicationId);
  if (cached && matchesFiles(cached, byPath) && needed.every((d) => cached.has(d))) return new Map(cached);
  const releaseFile = byPath.get('Release');
  const releaseBytes = releaseFile && (await readStoredFile(ctx, releaseFile.storageKey));
  if (!releaseBytes) return null;
  const digests = releaseDigests(releaseBytes.toString('utf8'));
  const dirs = [...digests.keys()]
    .filter((p) => /^.+\/binary-[^/]+\/Packages$/.test(p))
    .map((p) => p.slice(0, -'/Packages'.length));
  if (needed.some((d) => !dirs.includes(d))) return null;
  if ([...digests.keys()].some((p) => p.endsWith('.xz'))) return null;
  const base = new Map<string, DebIndexBase>();
  for (const dir of dirs) {
    const plainFile = byPath.get(`${dir}/Packages`);
    const gzFile = byPath.get(`${dir}/Packages.gz`);
    const plainDigests = digests.get(`${dir}/Packages`);
    const gzDigests = digests.get(`${dir}/Packages.gz`);
    if (!plainFile || !gzFile || !plainDigests || !gzDigests) return null;
    if (plainFile.sha256 !== plainDigests.sha256 || gzFile.sha256 !== gzDigests.sha256) return null;
    const [plain, gz] = await Promise.all([
      readStoredFile(ctx, plainFile.storageKey),
      readStoredFile(ctx, gzFile.storageKey),
    ]);
    if (!plain || !gz || plain.length !== plainDigests.size || gz.length !== gzDigests.size) return null;
    const plainState = DigestState.of(plain);
    const gzState = DigestState.of(gz);
    // Bytes changed in storage must not be appended to and signed anew: rebuild from rows instead.
    if (!sameDigests(plainState.digests(), plainDigests) || !sameDigests(gzState.digests(), gzDigests)) {
      ctx.log.warn(
        { publicationId, dir },
        'stored index does not match its Release digest; rebuilding from rows',
      );
      return null;
    }
    base.set(dir, { plain, gz, plainDigests, gzDigests, plainState, gzState });
  }
  return base;
}

const sameDigests = (a: Digests, b: Digests) =>
  a.md5 === b.md5 && a.sha256 === b.sha256 && a.sha512 === b.sha512 && a.size === b.size;

/** The remembered indexes are exactly the publication's: the same directories, each file's sha256. */
function matchesFiles(
  indexes: ReadonlyMap<string, DebIndexBase>,
  byPath: ReadonlyMap<string, { sha256: string }>,
): boolean {
  const dirs = [...byPath.keys()].filter((p) => /^.+\/binary-[^/]+\/Packages$/.test(p));
  if (dirs.length !== indexes.size || [...byPath.keys()].some((p) => p.endsWith('.xz'))) return false;
  for (const [dir, i] of indexes) {
    if (byPath.get(`${dir}/Packages`)?.sha256 !== i.plainDigests.sha256) return false;
    if (byPath.get(`${dir}/Packages.gz`)?.sha256 !== i.gzDigests.sha256) return false;
    if (!i.plainState || !i.gzState) return false;
  }
  return true;
}
