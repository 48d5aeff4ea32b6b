// Loads the keys a publication signs with: every ACTIVE and RETIRING key (rotation overlap), unsealed.
import { openPrivateKey } from '@pallet/openpgp';
import type { CoreContext } from '../context/core-context';
import { Unavailable } from '../errors/domain-errors';

export interface UnsealedKey {
  fingerprint: string;
  algorithm: string;
  status: 'ACTIVE' | 'RETIRING';
  privateKeyArmored: string;
  publicKeyArmored: string;
}

export async function loadSigningKeys(ctx: CoreContext, repositoryId: string): Promise<UnsealedKey[]> {
  const keys = await ctx.db.signingKey.findMany({
    where: { repositoryId, status: { in: ['ACTIVE', 'RETIRING'] } },
    orderBy: { createdAt: 'asc' },
  });
  if (keys.length === 0) throw new Unavailable('The repository has no signing key.');
  return keys.map((k) => ({
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    status: k.status as UnsealedKey['status'],
    publicKeyArmored: k.publicKeyArmored,
    privateKeyArmored: openPrivateKey(
      new Uint8Array(k.sealedPrivateKey),
      ctx.config.masterKey,
      k.fingerprint,
    ),
  }));
}

/** Public keys clients should trust: every key that is not retired. */
export async function loadPublicKeys(ctx: CoreContext, repositoryId: string) {
  return ctx.db.signingKey.findMany({
    where: { repositoryId, status: { in: ['ACTIVE', 'RETIRING'] } },
    orderBy: { createdAt: 'asc' },
  });
}
