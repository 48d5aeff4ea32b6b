// Compromise drill (issue 11), one audited action: the key is revoked (status `revoked`, out of every
// served keyring at once, its sealed private half destroyed), its revocation certificate is published
// (`/dl/{org}/{repo}/revoked.asc`), a new active key replaces it if it was the active one, and every
// distribution is republished without its signature. A worker job (`rekey`) then re-signs every rpm
// with the active key, rebuilds the keyring packages and republishes again: the API answers once the
// new key exists and that work is queued.
import { revokeSigningKey as makeRevocation } from '@pallet/openpgp';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { openPrivateKeyAtRest } from '../custody/seal-private-key';
import { Conflict, NotFound } from '../errors/domain-errors';
import { generateRepositoryKey, insertSigningKey, type KeyAlgorithm } from './create-signing-key';
import { type SigningKeyView, toSigningKeyView } from './key-view';
import { bumpRepositoryGenerations, requestRepublication } from './republish-repository';
import { normalizeFingerprint } from './retire-signing-key';
import { lockRepositoryKeys, parseKeyChangeInput } from './rotate-signing-key';

export const revokeSigningKeyInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export interface RevokeResult extends SigningKeyView {
  /** the key that signs from now on (new when the revoked key was the active one) */
  activeKey: SigningKeyView | null;
}

export async function revokeSigningKey(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  fingerprintParam: string,
  raw: unknown,
): Promise<RevokeResult> {
  const { reason } = parseKeyChangeInput(revokeSigningKeyInput, raw);
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const fingerprint = normalizeFingerprint(fingerprintParam);
  const where = { repositoryId_fingerprint: { repositoryId: repository.id, fingerprint } };
  const key = await ctx.db.signingKey.findUnique({ where });
  if (!key) throw new NotFound('signing key');
  if (key.status === 'REVOKED') throw new Conflict('The key is already revoked.', 'key_revoked');
  const revokedAt = new Date();
  const certificate = await makeRevocation(
    await openPrivateKeyAtRest(ctx.config, new Uint8Array(key.sealedPrivateKey), key.fingerprint),
    { reason, date: revokedAt },
  );
  const replacement =
    key.status === 'ACTIVE'
      ? await generateRepositoryKey(
          ctx,
          { orgSlug: org.slug, repoSlug: repository.slug, keyValidityDays: repository.keyValidityDays },
          key.algorithm as KeyAlgorithm,
        )
      : null;
  const { revoked, active, pending } = await ctx.db.$transaction(async (tx) => {
    await lockRepositoryKeys(tx, repository.id);
    const now = await tx.signingKey.findUnique({ where });
    if (!now || now.status !== key.status)
      throw new Conflict('The key changed meanwhile; try again.', 'key_changed');
    const revoked = await tx.signingKey.update({
      where: { id: key.id },
      data: {
        status: 'REVOKED',
        revokedAt,
        retiredAt: key.retiredAt ?? revokedAt,
        revocationReason: reason,
        revocationCertificate: certificate,
        // A compromised key never signs again: its sealed private half is destroyed.
        sealedPrivateKey: Buffer.alloc(0),
      },
    });
    const active = replacement
      ? await insertSigningKey(tx, repository.id, replacement)
      : await tx.signingKey.findFirst({
          where: { repositoryId: repository.id, status: 'ACTIVE' },
          orderBy: { createdAt: 'desc' },
        });
    await tx.repository.update({
      where: { id: repository.id },
      data: { keyringVersion: { increment: 1 } },
    });
    const pending = await bumpRepositoryGenerations(tx, repository.id);
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'signing_key.revoke',
      target: `key ${key.fingerprint}`,
      targetId: key.id,
      details: {
        repository: repository.slug,
        reason,
        previousStatus: key.status.toLowerCase(),
        activeKey: active?.fingerprint ?? null,
        newKey: replacement ? replacement.key.fingerprint : null,
        republished: pending.length,
        resignAndRepublish: 'queued',
      },
    });
    return { revoked, active, pending };
  });
  await requestRepublication(ctx, pending);
  await ctx.queues.enqueueRekey({ repositoryId: repository.id, resignRpms: true });
  return { ...toSigningKeyView(revoked), activeKey: active ? toSigningKeyView(active) : null };
}
