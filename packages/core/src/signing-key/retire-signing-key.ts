// Ends a rotation's transition: the retiring key leaves every keyring at once (status `retired`), and a
// worker job re-signs every rpm still signed by another key than the active one (each re-signed copy
// under a new download name: a URL never changes its bytes), rebuilds the keyring packages and
// republishes every distribution signed by the active key only.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, NotFound } from '../errors/domain-errors';
import { type SigningKeyView, toSigningKeyView } from './key-view';
import { lockRepositoryKeys } from './rotate-signing-key';

const FINGERPRINT_RE = /^[0-9A-Fa-f]{40}$/;

export function normalizeFingerprint(fingerprint: string): string {
  if (!FINGERPRINT_RE.test(fingerprint)) throw new NotFound('signing key');
  return fingerprint.toUpperCase();
}

export async function retireSigningKey(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  fingerprintParam: string,
): Promise<SigningKeyView> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const fingerprint = normalizeFingerprint(fingerprintParam);
  const key = await ctx.db.$transaction(async (tx) => {
    await lockRepositoryKeys(tx, repository.id);
    const key = await tx.signingKey.findUnique({
      where: { repositoryId_fingerprint: { repositoryId: repository.id, fingerprint } },
    });
    if (!key) throw new NotFound('signing key');
    if (key.status === 'ACTIVE')
      throw new Conflict('The active key cannot be retired: rotate to a new key first.', 'key_active');
    if (key.status !== 'RETIRING')
      throw new Conflict(`The key is already ${key.status.toLowerCase()}.`, 'key_not_retiring');
    const retired = await tx.signingKey.update({
      where: { id: key.id },
      data: { status: 'RETIRED', retiredAt: new Date() },
    });
    await tx.repository.update({
      where: { id: repository.id },
      data: { keyringVersion: { increment: 1 } },
    });
    // The rekey job republishes after re-signing the rpms, so no index ever lists an rpm signed by a
    // key the served keyring no longer holds for longer than that job takes.
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'signing_key.retire',
      target: `key ${key.fingerprint}`,
      targetId: key.id,
      details: { repository: repository.slug, resignAndRepublish: 'queued' },
    });
    return retired;
  });
  await ctx.queues.enqueueRekey({ repositoryId: repository.id, resignRpms: true });
  return toSigningKeyView(key);
}
