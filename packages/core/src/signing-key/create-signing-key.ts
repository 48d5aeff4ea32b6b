// Generates a repository's OpenPGP signing key (v4; RSA-4096 by default, Ed25519 on request) and stores
// the private half only sealed under the master key.

import type { SigningKey, Tx } from '@pallet/db';
import { generateSigningKey, sealPrivateKey } from '@pallet/openpgp';
import type { CoreContext } from '../context/core-context';

export type KeyAlgorithm = 'rsa4096' | 'ed25519';

export async function generateRepositoryKey(
  ctx: CoreContext,
  owner: { orgSlug: string; repoSlug: string },
  algorithm: KeyAlgorithm,
  opts: { expiresAt?: Date } = {},
) {
  const key = await generateSigningKey({
    name: `${owner.orgSlug}/${owner.repoSlug} repository signing key (Pallet)`,
    email: `${owner.repoSlug}@${owner.orgSlug}.pallet.invalid`,
    algorithm,
    ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
  });
  const sealed = sealPrivateKey(key.privateKeyArmored, ctx.config.masterKey, key.fingerprint);
  return { key, sealed };
}

export async function insertSigningKey(
  tx: Tx,
  repositoryId: string,
  generated: Awaited<ReturnType<typeof generateRepositoryKey>>,
): Promise<SigningKey> {
  const { key, sealed } = generated;
  return tx.signingKey.create({
    data: {
      repositoryId,
      fingerprint: key.fingerprint,
      keyId: key.keyId,
      algorithm: key.algorithm,
      bits: key.bits ?? null,
      publicKeyArmored: key.publicKeyArmored,
      sealedPrivateKey: Buffer.from(sealed),
      createdAt: key.createdAt,
      expiresAt: key.expiresAt ?? null,
    },
  });
}
