// Loads the keys a publication signs with: every ACTIVE and RETIRING key (rotation overlap), unsealed. A key
// past its expiry never signs: it is left out, and when no key is left the publication fails with KeyExpired
// (a signature by an expired key would be refused by every client anyway).
import type { CoreContext } from '../context/core-context';
import { openPrivateKeyAtRest } from '../custody/seal-private-key';
import { KeyExpired, Unavailable } from '../errors/domain-errors';

export interface UnsealedKey {
  fingerprint: string;
  algorithm: string;
  status: 'ACTIVE' | 'RETIRING';
  privateKeyArmored: string;
  publicKeyArmored: string;
}

export async function loadSigningKeys(
  ctx: CoreContext,
  repositoryId: string,
  now: Date = new Date(),
): Promise<UnsealedKey[]> {
  const keys = await ctx.db.signingKey.findMany({
    where: { repositoryId, status: { in: ['ACTIVE', 'RETIRING'] } },
    // Creation times are the OpenPGP keys' own (whole seconds): a same-second rotation ties, and the
    // retiring key is the older one.
    orderBy: [{ createdAt: 'asc' }, { status: 'desc' }],
  });
  if (keys.length === 0) throw new Unavailable('The repository has no signing key.');
  const usable = keys.filter((k) => !k.expiresAt || k.expiresAt.getTime() > now.getTime());
  if (usable.length === 0) {
    const fingerprints = keys.map((k) => k.fingerprint).join(', ');
    throw new KeyExpired(
      `Every signing key of the repository has expired (${fingerprints}): extend the key's expiry or rotate to a new key before publishing.`,
    );
  }
  return Promise.all(
    usable.map(async (k) => ({
      fingerprint: k.fingerprint,
      algorithm: k.algorithm,
      status: k.status as UnsealedKey['status'],
      publicKeyArmored: k.publicKeyArmored,
      privateKeyArmored: await openPrivateKeyAtRest(
        ctx.config,
        new Uint8Array(k.sealedPrivateKey),
        k.fingerprint,
      ),
    })),
  );
}

/** Public keys clients should trust: every key that is not retired. */
export async function loadPublicKeys(ctx: CoreContext, repositoryId: string) {
  return ctx.db.signingKey.findMany({
    where: { repositoryId, status: { in: ['ACTIVE', 'RETIRING'] } },
    // Creation times are the OpenPGP keys' own (whole seconds): a same-second rotation ties, and the
    // retiring key is the older one.
    orderBy: [{ createdAt: 'asc' }, { status: 'desc' }],
  });
}
