// Revokes a token; authenticateToken refuses it from the next request on.

import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';

export async function revokeToken(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  tokenId: string,
): Promise<void> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  await ctx.db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: tokenId, orgId: org.id } });
    if (!token) throw new NotFound('token');
    if (token.revokedAt) return;
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'token.revoke',
      target: `token ${token.name}`,
      targetId: token.id,
    });
  });
}
