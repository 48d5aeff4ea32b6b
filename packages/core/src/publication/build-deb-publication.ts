// Builds an APT distribution's files from pre-rendered Packages stanzas: Packages(.gz/.xz) per
// component/arch with by-hash copies, then Release, InRelease and Release.gpg over the same bytes.
// Architecture `all` is listed and has its own binary-all/Packages, as in the Debian archive, so
// apt >= 1.2 on any architecture (armhf, s390x, riscv64...) finds arch-all packages even where the
// suite has no index for its own architecture; arch-all entries also stay in every architecture's
// index for older clients. Release leaves out `No-Support-for-Architecture-all: Packages`, which
// would tell apt to skip binary-all/Packages (see release-file.ts).
import { buildReleaseFile, compressIndex, gzipIndex } from '@pallet/deb';
import { clearsignText, detachSign } from '@pallet/openpgp';
import { type Digests, digestsOf, type PublicationFileSpec } from './publication-file';

export interface DebIndexRow {
  component: string | null;
  architecture: string;
  indexEntry: string;
}

export interface DebPublicationInput {
  release: string;
  origin: string;
  label: string;
  description: string;
  components: string[];
  defaultArchitectures: string[];
  rows: DebIndexRow[];
  date: Date;
  validUntil?: Date;
  signingKeys: { privateKeyArmored: string; fingerprint: string }[];
  /** Packages.xz too. Off by default: at a speed that keeps publishing fast (preset 1) xz saves next to
   * nothing over gzip on Packages text, and it is most of a large publication's time (see bench/). */
  withXz?: boolean;
}

const TEXT = 'text/plain; charset=utf-8';

export async function buildDebPublication(input: DebPublicationInput): Promise<PublicationFileSpec[]> {
  const archs = new Set(input.defaultArchitectures);
  for (const r of input.rows) archs.add(r.architecture);
  archs.delete('all');
  const architectures = [...archs, 'all'].sort();
  const components = [...new Set(input.components.length ? input.components : ['main'])].sort();
  const dists = `dists/${input.release}`;
  const files: PublicationFileSpec[] = [];
  const listed: (Digests & { path: string })[] = [];
  // Compress every (component, arch) index at once: zlib and liblzma run on libuv's thread pool, so the
  // big Packages files of a large distribution use every core.
  const targets = components.flatMap((component) => architectures.map((arch) => ({ component, arch })));
  const built = await Promise.all(
    targets.map(async ({ component, arch }) => {
      const stanzas = input.rows
        .filter(
          (r) =>
            (r.component ?? 'main') === component && (r.architecture === arch || r.architecture === 'all'),
        )
        .map((r) => r.indexEntry.trimEnd());
      const plain = Buffer.from(stanzas.length ? `${stanzas.join('\n\n')}\n` : '', 'utf8');
      const variants: [string, Uint8Array, string][] = [['Packages', plain, TEXT]];
      if (input.withXz) {
        const { gz, xz } = await compressIndex(plain);
        variants.push(['Packages.gz', gz, 'application/gzip'], ['Packages.xz', xz, 'application/x-xz']);
      } else {
        variants.push(['Packages.gz', await gzipIndex(plain), 'application/gzip']);
      }
      return { dir: `${component}/binary-${arch}`, variants };
    }),
  );
  for (const { dir, variants } of built) {
    for (const [name, bytes, type] of variants) {
      const d = digestsOf(bytes);
      listed.push({ ...d, path: `${dir}/${name}` });
      files.push({ path: `${dists}/${dir}/${name}`, bytes, contentType: type, immutable: false });
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
  const inRelease = await clearsignText(release, keys);
  const releaseGpg = (await detachSign(release, keys, { armor: true })) as string;
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
