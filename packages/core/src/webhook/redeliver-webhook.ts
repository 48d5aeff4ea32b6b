// Sends an earlier delivery's event again as a new delivery (same eventId, so receivers can dedupe).
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { toWebhookDeliveryView, type WebhookDeliveryView } from './webhook-view';

export async function redeliverWebhook(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  return ctx.db.$transaction(async (tx) => {
    const original = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, webhookId, webhook: { orgId: org.id } },
      include: { webhook: { select: { url: true } } },
    });
    if (!original) throw new NotFound('delivery');
    const copy = await tx.webhookDelivery.create({
      data: {
        webhookId: original.webhookId,
        eventId: original.eventId,
        event: original.event,
        payload: original.payload ?? {},
        redeliveryOfId: original.id,
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'webhook.redeliver',
      target: `webhook ${new URL(original.webhook.url).origin}`,
      targetId: original.webhookId,
      details: { event: original.event, delivery: original.id, redelivery: copy.id },
    });
    return toWebhookDeliveryView(copy);
  });
}
