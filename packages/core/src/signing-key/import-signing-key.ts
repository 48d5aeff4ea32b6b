// Bring your own key (POST .../keys/import {armoredPrivateKey, passphrase?}): the key must pass the key
// policy (packages/openpgp checkImportedKey), is stored sealed like generated keys (the passphrase only
// unlocks it here and is never stored), and then takes over the way a rotation does, as Cloudsmith's
// key import replaces the repository's signing key: the imported key becomes active, the active one
// retiring, every distribution republished signed by both; `retire` ends the transition.
import { checkImportedKey, KeyPolicyError } from '@pallet/openpgp';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { sealPrivateKeyAtRest } from '../custody/seal-private-key';
import { Conflict, Unprocessable } from '../errors/domain-errors';
import type { SigningKeyView } from './key-view';
import { checkRotatable, parseKeyChangeInput, startKeyTransition } from './rotate-signing-key';

export const importSigningKeyInput = z
  .object({
    armoredPrivateKey: z
      .string()
      .min(1)
      .max(64 * 1024),
    passphrase: z.string().max(1024).optional(),
  })
  .strict();

export async function importSigningKey(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: unknown,
): Promise<SigningKeyView> {
  const input = parseKeyChangeInput(importSigningKeyInput, raw);
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const imported = await checkImportedKey(input.armoredPrivateKey, input.passphrase).catch((err: unknown) => {
    if (err instanceof KeyPolicyError) throw new Unprocessable(err.message, 'key_policy');
    throw err;
  });
  const existing = await ctx.db.signingKey.findUnique({
    where: { repositoryId_fingerprint: { repositoryId: repository.id, fingerprint: imported.fingerprint } },
  });
  if (existing) throw new Conflict('This key already belongs to the repository.', 'key_exists');
  const current = await ctx.db.signingKey.findMany({
    where: { repositoryId: repository.id, status: { in: ['ACTIVE', 'RETIRING'] } },
  });
  checkRotatable(current);
  const sealed = await sealPrivateKeyAtRest(ctx.config, imported.privateKeyArmored, imported.fingerprint);
  return startKeyTransition(
    ctx,
    actor,
    { org, repository },
    { key: imported, sealed, origin: 'imported' },
    'signing_key.import',
  );
}
