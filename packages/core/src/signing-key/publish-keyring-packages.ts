// The repository keyring package (issue 11): `<org>-<repo>-archive-keyring`, as a .deb installing the
// binary keyring at the path the setup answer's `signed-by` names (/usr/share/keyrings/<org>-<repo>.gpg)
// and as an .rpm dropping the armored keys in /etc/pki/rpm-gpg/RPM-GPG-KEY-<org>-<repo>. Built by Pallet
// from the keys clients should trust (active and retiring), uploaded into every distribution by the
// system actor like any package (so rpms are signed and everything is audited), and rebuilt with the
// next version (`Repository.keyringVersion` + 1) whenever the keys change: machines that installed it
// receive the next key through an ordinary upgrade before the old one is retired.
import { buildDeb } from '@pallet/deb';
import { combineArmoredPublicKeys, publicKeyToBinary } from '@pallet/openpgp';
import { buildRpm } from '@pallet/rpm';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { stageUpload } from '../package/stage-upload';
import { uploadPackage } from '../package/upload-package';
import { loadPublicKeys } from './load-signing-keys';

const SYSTEM: Actor = { kind: 'system' };

export function keyringPackageName(orgSlug: string, repoSlug: string): string {
  return `${orgSlug}-${repoSlug}-archive-keyring`;
}

export function keyringPaths(orgSlug: string, repoSlug: string) {
  const id = `${orgSlug}-${repoSlug}`;
  return { deb: `/usr/share/keyrings/${id}.gpg`, rpm: `/etc/pki/rpm-gpg/RPM-GPG-KEY-${id}` };
}

/** Uploads the current keyring version into every distribution (or only `distributionId`) lacking it. */
export async function publishKeyringPackages(
  ctx: CoreContext,
  repositoryId: string,
  opts: { distributionId?: string } = {},
): Promise<number> {
  if (!ctx.config.keyringPackages) return 0;
  const repository = await ctx.db.repository.findUnique({
    where: { id: repositoryId },
    include: { org: true },
  });
  if (!repository) return 0;
  const name = keyringPackageName(repository.org.slug, repository.slug);
  const version = String(repository.keyringVersion + 1);
  const distributions = await ctx.db.distribution.findMany({
    where: {
      repositoryId,
      // A frozen distribution's package set does not change (its rpms are still re-signed).
      frozen: false,
      ...(opts.distributionId ? { id: opts.distributionId } : {}),
      // rpm versions are recorded as version-release
      packages: { none: { name, version: { in: [version, `${version}-1`] } } },
    },
  });
  if (distributions.length === 0) return 0;
  const keys = await loadPublicKeys(ctx, repositoryId);
  if (keys.length === 0) return 0;
  const armored = keys.map((k) => k.publicKeyArmored);
  const paths = keyringPaths(repository.org.slug, repository.slug);
  const label = `${repository.org.slug}/${repository.slug}`;
  // Deterministic per version (the repository row changes with every key change), so a retried job
  // builds the same bytes and the upload is answered as already there.
  const mtime = Math.floor(repository.updatedAt.getTime() / 1000);
  const fingerprints = keys.map((k) => k.fingerprint).join(', ');
  let built: { deb?: Uint8Array; rpm?: Uint8Array } = {};
  const bytesFor = async (format: 'DEB' | 'RPM'): Promise<Uint8Array> => {
    if (format === 'DEB') {
      built.deb ??= buildDeb({
        control: [
          ['Package', name],
          ['Version', version],
          ['Architecture', 'all'],
          ['Maintainer', `${label} (Pallet) <noreply@pallet.invalid>`],
          ['Section', 'misc'],
          ['Priority', 'optional'],
          [
            'Description',
            `OpenPGP keys of the ${label} APT repository\n Installs ${paths.deb}, the keyring the repository's sources entry\n names in signed-by. Upgrades bring new signing keys before old ones are\n retired. Keys: ${fingerprints}`,
          ],
        ],
        files: [{ path: paths.deb, bytes: await publicKeyToBinary(armored) }],
        mtime,
      });
      return built.deb;
    }
    built.rpm ??= buildRpm({
      name,
      version,
      release: '1',
      summary: `OpenPGP keys of the ${label} repository`,
      description: `Installs ${paths.rpm} (keys ${fingerprints}); a .repo file may name it as gpgkey=file://${paths.rpm}. Upgrades bring new signing keys before old ones are retired.`,
      license: 'CC0-1.0',
      files: [{ path: paths.rpm, bytes: new TextEncoder().encode(await combineArmoredPublicKeys(armored)) }],
      mtime,
    });
    return built.rpm;
  };
  let uploaded = 0;
  for (const d of distributions) {
    const bytes = await bytesFor(d.format);
    const staged = await stageUpload(
      ctx,
      (async function* () {
        yield bytes;
      })(),
      { maxBytes: bytes.length },
    );
    await uploadPackage(ctx, SYSTEM, repository.org.slug, repository.slug, staged, {
      distribution: d.name,
      ...(d.format === 'DEB' ? { component: d.components[0] ?? 'main' } : {}),
    });
    uploaded++;
  }
  built = {};
  return uploaded;
}
