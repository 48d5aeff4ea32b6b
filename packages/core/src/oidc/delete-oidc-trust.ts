// Deletes an OIDC trust; the tokens it minted are revoked with it, so removing a trust ends CI access
// at once rather than within the hour.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';

export async function deleteOidcTrust(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  id: string,
): Promise<void> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  await ctx.db.$transaction(async (tx) => {
    const trust = await tx.oidcTrust.findFirst({ where: { id, orgId: org.id } });
    if (!trust) throw new NotFound('OIDC trust');
    await tx.oidcTrust.delete({ where: { id: trust.id } });
    const revoked = await tx.apiToken.updateMany({
      where: { orgId: org.id, oidcTrustId: trust.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'oidc_trust.delete',
      target: `oidc trust ${trust.issuer} ${trust.subject}`,
      targetId: trust.id,
      details: { revokedTokens: revoked.count },
    });
  });
}
