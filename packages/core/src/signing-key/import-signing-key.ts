// Bring your own key (POST .../keys/import {armoredPrivateKey, passphrase?}): the key must pass the key
// policy (packages/openpgp checkImportedKey), is stored sealed like generated keys (the passphrase only
// unlocks it here and is never stored), and then takes over the way a rotation does, as Cloudsmith's
// key import replaces the repository's signing key: the imported key becomes active, the active one
// retiring, every distribution republished signed by both; `retire` ends the transition.
import { checkImportedKey, KeyPolicyError } from '@pallet/openpgp';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { sealPrivateKeyAtRest } from '../custody/seal-private-key';
import { Conflict, Unprocessable } from '../errors/domain-errors';
import { insertSigningKey } from './create-signing-key';
import { type SigningKeyView, toSigningKeyView } from './key-view';
import { bumpRepositoryGenerations, requestRepublication } from './republish-repository';
import { checkRotatable, lockRepositoryKeys, parseKeyChangeInput } from './rotate-signing-key';

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
  const { key, pending } = await ctx.db.$transaction(async (tx) => {
    await lockRepositoryKeys(tx, repository.id);
    const now = await tx.signingKey.findMany({
      where: { repositoryId: repository.id, status: { in: ['ACTIVE', 'RETIRING'] } },
    });
    checkRotatable(now);
    const previous = now.filter((k) => k.status === 'ACTIVE');
    await tx.signingKey.updateMany({
      where: { id: { in: previous.map((k) => k.id) } },
      data: { status: 'RETIRING' },
    });
    const key = await insertSigningKey(tx, repository.id, {
      key: imported,
      sealed,
      origin: 'imported',
    });
    await tx.repository.update({
      where: { id: repository.id },
      data: { keyringVersion: { increment: 1 } },
    });
    const pending = await bumpRepositoryGenerations(tx, repository.id);
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'signing_key.import',
      target: `key ${key.fingerprint}`,
      targetId: key.id,
      details: {
        repository: repository.slug,
        algorithm: key.algorithm,
        retiring: previous.map((k) => k.fingerprint),
        expiresAt: key.expiresAt?.toISOString() ?? null,
        republished: pending.length,
      },
    });
    return { key, pending };
  });
  await requestRepublication(ctx, pending);
  await ctx.queues.enqueueRekey({ repositoryId: repository.id, resignRpms: false });
  return toSigningKeyView(key);
}
