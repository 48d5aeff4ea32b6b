// Deletes a webhook and its delivery log; queued deliveries find no row and are dropped.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';

export async function deleteWebhook(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  id: string,
): Promise<void> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  await ctx.db.$transaction(async (tx) => {
    const hook = await tx.webhook.findFirst({ where: { id, orgId: org.id } });
    if (!hook) throw new NotFound('webhook');
    await tx.webhook.delete({ where: { id: hook.id } });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'webhook.delete',
      target: `webhook ${new URL(hook.url).origin}`,
      targetId: hook.id,
    });
  });
}
