// A webhook's delivery log, newest first: status, attempts, last response code and duration.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { toWebhookDeliveryView, type WebhookDeliveryView } from './webhook-view';

export async function listWebhookDeliveries(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  webhookId: string,
  opts: { limit?: number } = {},
): Promise<WebhookDeliveryView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const hook = await ctx.db.webhook.findFirst({
    where: { id: webhookId, orgId: org.id },
    select: { id: true },
  });
  if (!hook) throw new NotFound('webhook');
  const rows = await ctx.db.webhookDelivery.findMany({
    where: { webhookId: hook.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(Math.max(opts.limit ?? 100, 1), 500),
  });
  return rows.map(toWebhookDeliveryView);
}
