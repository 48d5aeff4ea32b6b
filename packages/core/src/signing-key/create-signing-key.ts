// Generates a repository's OpenPGP signing key (v4; RSA-4096 by default, Ed25519 on request) valid for the
// repository's keyValidityDays, and stores the private half only sealed (core/custody: its own data key).

import type { SigningKey, Tx } from '@pallet/db';
import { generateSigningKey } from '@pallet/openpgp';
import type { CoreContext } from '../context/core-context';
import { sealPrivateKeyAtRest } from '../custody/seal-private-key';

export type KeyAlgorithm = 'rsa4096' | 'ed25519';

/** New keys expire after this many days unless the repository says otherwise (PATCH keyValidityDays). */
export const DEFAULT_KEY_VALIDITY_DAYS = 730;

export async function generateRepositoryKey(
  ctx: CoreContext,
  owner: { orgSlug: string; repoSlug: string; keyValidityDays?: number },
  algorithm: KeyAlgorithm,
  opts: { expiresAt?: Date } = {},
) {
  const now = new Date();
  const validityDays = owner.keyValidityDays ?? DEFAULT_KEY_VALIDITY_DAYS;
  const key = await generateSigningKey({
    name: `${owner.orgSlug}/${owner.repoSlug} repository signing key (Pallet)`,
    email: `${owner.repoSlug}@${owner.orgSlug}.pallet.invalid`,
    algorithm,
    now,
    expiresAt: opts.expiresAt ?? new Date(now.getTime() + validityDays * 86_400_000),
  });
  const sealed = await sealPrivateKeyAtRest(ctx.config, key.privateKeyArmored, key.fingerprint);
  return { key, sealed, origin: 'generated' as const };
}

export async function insertSigningKey(
  tx: Tx,
  repositoryId: string,
  generated: {
    key: {
      fingerprint: string;
      keyId: string;
      algorithm: string;
      bits?: number;
      publicKeyArmored: string;
      createdAt: Date;
      expiresAt?: Date;
    };
    sealed: Uint8Array;
    origin?: 'generated' | 'imported';
  },
  status: 'ACTIVE' | 'RETIRING' = 'ACTIVE',
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
      origin: generated.origin ?? 'generated',
      status,
      createdAt: key.createdAt,
      expiresAt: key.expiresAt ?? null,
    },
  });
}
