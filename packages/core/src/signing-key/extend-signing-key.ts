// Moves a key's expiry (PATCH .../keys/{fingerprint} {expiresAt}): the key re-signs its own self-signature
// with the new expiry (same key material and fingerprint), the re-signed public key replaces the stored one,
// and every distribution and keyring package is republished so clients pick up the new expiry.
import { setKeyExpiry } from '@pallet/openpgp';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { openPrivateKeyAtRest, sealPrivateKeyAtRest } from '../custody/seal-private-key';
import { Conflict, InvalidRequest, NotFound } from '../errors/domain-errors';
import { type SigningKeyView, toSigningKeyView } from './key-view';
import { bumpRepositoryGenerations, requestRepublication } from './republish-repository';
import { normalizeFingerprint } from './retire-signing-key';
import { lockRepositoryKeys, parseKeyChangeInput } from './rotate-signing-key';

/** The longest a key may be extended to, counted from now (gpg's own default offers up to years, not decades). */
const MAX_VALIDITY_DAYS = 3650;

export const extendSigningKeyInput = z.object({ expiresAt: z.iso.datetime({ offset: true }) }).strict();

export async function extendSigningKey(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  fingerprintParam: string,
  raw: unknown,
): Promise<SigningKeyView> {
  const input = parseKeyChangeInput(extendSigningKeyInput, raw);
  const expiresAt = new Date(input.expiresAt);
  const now = Date.now();
  if (expiresAt.getTime() <= now + 60_000) throw new InvalidRequest('expiresAt: must be in the future.');
  if (expiresAt.getTime() > now + MAX_VALIDITY_DAYS * 86_400_000)
    throw new InvalidRequest(`expiresAt: at most ${MAX_VALIDITY_DAYS} days from now.`);
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const fingerprint = normalizeFingerprint(fingerprintParam);
  const where = { repositoryId_fingerprint: { repositoryId: repository.id, fingerprint } };
  const key = await ctx.db.signingKey.findUnique({ where });
  if (!key) throw new NotFound('signing key');
  if (key.status !== 'ACTIVE' && key.status !== 'RETIRING')
    throw new Conflict(`A ${key.status.toLowerCase()} key cannot be extended.`, 'key_not_in_use');
  const privateKeyArmored = await openPrivateKeyAtRest(
    ctx.config,
    new Uint8Array(key.sealedPrivateKey),
    key.fingerprint,
  );
  const resigned = await setKeyExpiry(privateKeyArmored, { expiresAt });
  const sealed = await sealPrivateKeyAtRest(ctx.config, resigned.privateKeyArmored, key.fingerprint);
  const { updated, pending } = await ctx.db.$transaction(async (tx) => {
    await lockRepositoryKeys(tx, repository.id);
    const changed = await tx.signingKey.updateMany({
      where: { id: key.id, status: key.status, sealedPrivateKey: key.sealedPrivateKey },
      data: {
        publicKeyArmored: resigned.publicKeyArmored,
        sealedPrivateKey: Buffer.from(sealed),
        expiresAt: resigned.expiresAt,
        expiryWarnedDays: null,
      },
    });
    if (changed.count === 0) throw new Conflict('The key changed meanwhile; try again.', 'key_changed');
    await tx.repository.update({
      where: { id: repository.id },
      data: { keyringVersion: { increment: 1 } },
    });
    const pending = await bumpRepositoryGenerations(tx, repository.id);
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'signing_key.extend',
      target: `key ${key.fingerprint}`,
      targetId: key.id,
      details: {
        repository: repository.slug,
        previousExpiresAt: key.expiresAt?.toISOString() ?? null,
        expiresAt: resigned.expiresAt.toISOString(),
        republished: pending.length,
      },
    });
    return { updated: await tx.signingKey.findUniqueOrThrow({ where: { id: key.id } }), pending };
  });
  await requestRepublication(ctx, pending);
  // keyringVersion moved: the rekey job builds the keyring packages carrying the re-signed key; rpm
  // signatures stay valid (same key material), so no rpm is re-signed.
  await ctx.queues.enqueueRekey({ repositoryId: repository.id, resignRpms: false });
  return toSigningKeyView(updated);
}
