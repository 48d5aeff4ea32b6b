// Builds an APT distribution's files from pre-rendered Packages stanzas: Packages(.gz/.xz) per
// component/arch with by-hash copies, then Release, InRelease and Release.gpg over the same bytes.
// Architecture `all` is listed and has its own binary-all/Packages, as in the Debian archive, so
// apt >= 1.2 on any architecture (armhf, s390x, riscv64...) finds arch-all packages even where the
// suite has no index for its own architecture; arch-all entries also stay in every architecture's
// index for older clients. Release leaves out `No-Support-for-Architecture-all: Packages`, which
// would tell apt to skip binary-all/Packages (see release-file.ts).
// Given the previous publication's indexes (`base`), a publication that only adds packages appends
// their stanzas to each index and a gzip member to each Packages.gz (a gzip file may hold several
// members, read as one stream by zlib and so by apt), and reuses unchanged indexes with their
// digests, instead of rebuilding and recompressing every index from all rows. The digests of an
// appended index come from running hash states over the bytes before (digest-state.ts), so hashing too
// costs what was added, not the whole index.
import { buildReleaseFile, compressIndex, gzipIndex } from '@pallet/deb';
import { clearsignText, detachSign } from '@pallet/openpgp';
import { timeSigning } from '../metrics/pallet-metrics';
import { DigestState } from './digest-state';
import { type Digests, digestsOf, type PublicationFileSpec } from './publication-file';

export interface DebIndexRow {
  component: string | null;
  architecture: string;
  indexEntry: string;
}

export interface DebIndexBase {
  plain: Uint8Array;
  gz: Uint8Array;
  plainDigests: Digests;
  gzDigests: Digests;
  /** hash states over `plain` and `gz`, when known: appending extends them */
  plainState?: DigestState;
  gzState?: DigestState;
}

export interface DebPublicationInput {
  release: string;
  origin: string;
  label: string;
  description: string;
  components: string[];
  defaultArchitectures: string[];
  rows: DebIndexRow[];
  /** The previous publication's indexes by `component/binary-arch`; `rows` are then only the packages
   * added since, and every index they belong in must be in `base`. */
  base?: ReadonlyMap<string, DebIndexBase>;
  date: Date;
  validUntil?: Date;
  signingKeys: { privateKeyArmored: string; fingerprint: string }[];
  /** Packages.xz too. Off by default: at a speed that keeps publishing fast (preset 1) xz saves next to
   * nothing over gzip on Packages text, and it is most of a large publication's time (see bench/). */
  withXz?: boolean;
  /** Called with the indexes built (without .xz), which a later publication may take as its `base`. */
  indexesBuilt?(indexes: Map<string, DebIndexBase>): void;
}

const TEXT = 'text/plain; charset=utf-8';
const GZIP = 'application/gzip';

interface IndexVariant {
  name: string;
  bytes: Uint8Array;
  type: string;
  digests?: Digests;
  state?: DigestState;
}

const withState = (v: IndexVariant): IndexVariant => {
  const state = v.state ?? DigestState.of(v.bytes);
  return { ...v, state, digests: v.digests ?? state.digests() };
};

/** The `component/binary-arch` directories: every component, each architecture and `all`. */
export function debIndexDirs(input: {
  components: readonly string[];
  defaultArchitectures: readonly string[];
  rows: readonly { architecture: string }[];
}): string[] {
  const archs = new Set(input.defaultArchitectures);
  for (const r of input.rows) archs.add(r.architecture);
  archs.delete('all');
  const components = [...new Set(input.components.length ? input.components : ['main'])];
  return components.flatMap((component) => [...archs, 'all'].map((arch) => `${component}/binary-${arch}`));
}

const MAX_GZIP_MEMBERS = 64;
// The header zlib writes: deflate, no flags, no mtime, then any compression-level byte and Unix as
// the OS. Counting it counts members (compressed data matching it is vanishingly unlikely, and a
// miscount only moves the next full recompression).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);

export function countGzipMembers(gz: Uint8Array): number {
  const buf = Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength);
  let count = 0;
  for (let at = buf.indexOf(GZIP_HEADER); at !== -1; at = buf.indexOf(GZIP_HEADER, at + 1)) {
    if (buf[at + 9] === 0x03) count++;
  }
  return count;
}

/** `main/binary-amd64` → main, amd64 (a component may itself hold slashes). */
function splitIndexDir(dir: string): { component: string; arch: string } {
  const cut = dir.lastIndexOf('/binary-');
  return { component: dir.slice(0, cut), arch: dir.slice(cut + '/binary-'.length) };
}

async function buildIndex(input: DebPublicationInput, dir: string): Promise<IndexVariant[]> {
  const { component, arch } = splitIndexDir(dir);
  const stanzas = input.rows
    .filter(
      (r) => (r.component ?? 'main') === component && (r.architecture === arch || r.architecture === 'all'),
    )
    .map((r) => r.indexEntry.trimEnd());
  const base = input.base?.get(dir);
  if (base) {
    if (stanzas.length === 0) {
      return [
        {
          name: 'Packages',
          bytes: base.plain,
          type: TEXT,
          digests: base.plainDigests,
          state: base.plainState,
        },
        { name: 'Packages.gz', bytes: base.gz, type: GZIP, digests: base.gzDigests, state: base.gzState },
      ];
    }
    const added = Buffer.from(`${base.plain.length ? '\n' : ''}${stanzas.join('\n\n')}\n`, 'utf8');
    const plain = Buffer.concat([base.plain, added]);
    // Each member compresses on its own, so a long run of small ones costs size: start afresh now and then.
    const member = countGzipMembers(base.gz) < MAX_GZIP_MEMBERS ? await gzipIndex(added) : null;
    const gz = member ? Buffer.concat([base.gz, member]) : await gzipIndex(plain);
    return [
      { name: 'Packages', bytes: plain, type: TEXT, state: base.plainState?.extend(added) },
      {
        name: 'Packages.gz',
        bytes: gz,
        type: GZIP,
        state: member ? base.gzState?.extend(member) : undefined,
      },
    ];
  }
  const plain = Buffer.from(stanzas.length ? `${stanzas.join('\n\n')}\n` : '', 'utf8');
  if (input.withXz) {
    const { gz, xz } = await compressIndex(plain);
    return [
      { name: 'Packages', bytes: plain, type: TEXT },
      { name: 'Packages.gz', bytes: gz, type: GZIP },
      { name: 'Packages.xz', bytes: xz, type: 'application/x-xz' },
    ];
  }
  return [
    { name: 'Packages', bytes: plain, type: TEXT },
    { name: 'Packages.gz', bytes: await gzipIndex(plain), type: GZIP },
  ];
}

export async function buildDebPublication(input: DebPublicationInput): Promise<PublicationFileSpec[]> {
  const dirs = input.base ? [...input.base.keys()] : debIndexDirs(input);
  const architectures = [...new Set(dirs.map((d) => splitIndexDir(d).arch))].sort();
  const components = [...new Set(dirs.map((d) => splitIndexDir(d).component))].sort();
  const dists = `dists/${input.release}`;
  const files: PublicationFileSpec[] = [];
  const listed: (Digests & { path: string })[] = [];
  // Compress every (component, arch) index at once: zlib and liblzma run on libuv's thread pool, so the
  // big Packages files of a large distribution use every core.
  const built = await Promise.all(
    dirs.map(async (dir) => {
      const variants = await buildIndex(input, dir);
      return { dir, variants: input.withXz ? variants : variants.map(withState) };
    }),
  );
  if (!input.withXz && input.indexesBuilt) {
    const indexes = new Map<string, DebIndexBase>();
    for (const { dir, variants } of built) {
      const [plain, gz] = variants as [IndexVariant, IndexVariant];
      indexes.set(dir, {
        plain: plain.bytes,
        gz: gz.bytes,
        plainDigests: plain.digests!,
        gzDigests: gz.digests!,
        plainState: plain.state,
        gzState: gz.state,
      });
    }
    input.indexesBuilt(indexes);
  }
  for (const { dir, variants } of built) {
    for (const { name, bytes, type, digests } of variants) {
      const d = digests ?? digestsOf(bytes);
      listed.push({ ...d, path: `${dir}/${name}` });
      files.push({
        path: `${dists}/${dir}/${name}`,
        bytes,
        contentType: type,
        immutable: false,
        sha256: d.sha256,
      });
      for (const [hashName, hex] of [
        ['SHA256', d.sha256],
        ['SHA512', d.sha512],
        ['MD5Sum', d.md5],
      ] as const) {
        files.push({
          path: `${dists}/${dir}/by-hash/${hashName}/${hex}`,
          bytes,
          contentType: type,
          immutable: true,
          sha256: d.sha256,
        });
      }
    }
  }
  const release = buildReleaseFile({
    origin: input.origin,
    label: input.label,
    suite: input.release,
    codename: input.release,
    date: input.date,
    validUntil: input.validUntil,
    architectures,
    components,
    description: input.description,
    acquireByHash: true,
    files: listed,
  });
  const keys = input.signingKeys.map((k) => k.privateKeyArmored);
  const [inRelease, releaseGpg] = await timeSigning('release', async () => [
    await clearsignText(release, keys),
    (await detachSign(release, keys, { armor: true })) as string,
  ]);
  // Release/InRelease/Release.gpg are listed last: the publication switch makes them visible after
  // every file they describe is stored.
  files.push(
    { path: `${dists}/Release`, bytes: Buffer.from(release, 'utf8'), contentType: TEXT, immutable: false },
    {
      path: `${dists}/Release.gpg`,
      bytes: Buffer.from(releaseGpg, 'utf8'),
      contentType: 'application/pgp-signature',
      immutable: false,
    },
    {
      path: `${dists}/InRelease`,
      bytes: Buffer.from(inRelease, 'utf8'),
      contentType: TEXT,
      immutable: false,
    },
  );
  return files;
}
