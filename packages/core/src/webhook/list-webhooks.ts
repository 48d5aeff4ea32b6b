// Lists an org's webhooks, or reads one (admins only: the URLs may name internal systems).
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';
import { toWebhookView, type WebhookView } from './webhook-view';

export async function listWebhooks(ctx: CoreContext, actor: Actor, orgSlug: string): Promise<WebhookView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const hooks = await ctx.db.webhook.findMany({ where: { orgId: org.id }, orderBy: { createdAt: 'asc' } });
  return hooks.map(toWebhookView);
}

export async function getWebhook(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  id: string,
): Promise<WebhookView> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const hook = await ctx.db.webhook.findFirst({ where: { id, orgId: org.id } });
  if (!hook) throw new NotFound('webhook');
  return toWebhookView(hook);
}
