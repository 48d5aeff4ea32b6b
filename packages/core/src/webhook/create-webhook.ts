// Creates an org webhook. The signing secret (given, or generated) is answered once and stored only
// sealed under the master key, since the server needs it to sign every delivery.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import { type Actor, actingUserId } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { WEBHOOK_EVENTS } from './webhook-events';
import { generateWebhookSecret, sealWebhookSecret, secretPrefixOf } from './webhook-signature';
import { checkWebhookUrl } from './webhook-target';
import { toWebhookView, type WebhookView } from './webhook-view';

export const MAX_WEBHOOKS_PER_ORG = 20;

export const createWebhookInput = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  secret: z.string().min(16, 'secret must have at least 16 characters.').max(200).optional(),
});

export async function createWebhook(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<WebhookView & { secret: string }> {
  const parsed = createWebhookInput.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRequest(parsed.error.issues[0]?.message ?? 'Invalid webhook request.');
  const input = parsed.data;
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const refused = checkWebhookUrl(input.url, ctx.config.webhooks.allowPrivate);
  if (refused) throw new InvalidRequest(refused, 'invalid_webhook_url');
  const secret = input.secret ?? generateWebhookSecret();
  const id = randomUUID();
  const webhook = await ctx.db.$transaction(async (tx) => {
    const count = await tx.webhook.count({ where: { orgId: org.id } });
    if (count >= MAX_WEBHOOKS_PER_ORG)
      throw new InvalidRequest(`An org has at most ${MAX_WEBHOOKS_PER_ORG} webhooks.`, 'too_many_webhooks');
    const created = await tx.webhook.create({
      data: {
        id,
        orgId: org.id,
        url: new URL(input.url).toString(),
        events: [...new Set(input.events)],
        sealedSecret: sealWebhookSecret(secret, ctx.config.masterKey, id),
        secretPrefix: secretPrefixOf(secret),
        createdById: actingUserId(actor) ?? null,
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'webhook.create',
      target: `webhook ${new URL(created.url).origin}`,
      targetId: created.id,
      details: { events: created.events },
    });
    return created;
  });
  return { ...toWebhookView(webhook), secret };
}
