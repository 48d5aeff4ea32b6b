// Records an event for every webhook of the org that subscribes to it: one WebhookDelivery row per
// webhook, written in the caller's transaction (an outbox), so an event exists exactly when its change
// committed. The worker picks PENDING rows up when they commit (start-webhook-dispatcher.ts) and
// sends them with retries. Other features call this from their own core services:
//   await emitWebhookEvent(tx, { orgId, event: 'key.expiring', payload: { ... } });
import { randomUUID } from 'node:crypto';
import type { Prisma, Tx } from '@pallet/db';
import type { WebhookEvent } from './webhook-events';

export interface WebhookEventInput {
  orgId: string;
  event: WebhookEvent;
  /** the event's data: plain JSON, no secrets (receivers store it) */
  payload: Prisma.InputJsonObject;
}

/** Returns how many deliveries were recorded (0 when no webhook subscribes). */
export async function emitWebhookEvent(tx: Tx, input: WebhookEventInput): Promise<number> {
  return emitWebhookEvents(tx, input.orgId, [{ event: input.event, payload: input.payload }]);
}

/** Several events of one org with one lookup of its webhooks (a publication of many packages). */
export async function emitWebhookEvents(
  tx: Tx,
  orgId: string,
  events: { event: WebhookEvent; payload: Prisma.InputJsonObject }[],
): Promise<number> {
  if (events.length === 0) return 0;
  const names = [...new Set(events.map((e) => e.event))];
  const hooks = await tx.webhook.findMany({
    where: { orgId, events: { hasSome: names } },
    select: { id: true, events: true },
  });
  if (hooks.length === 0) return 0;
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const e of events) {
    const eventId = randomUUID();
    for (const h of hooks) {
      if (h.events.includes(e.event))
        rows.push({ webhookId: h.id, eventId, event: e.event, payload: e.payload });
    }
  }
  await tx.webhookDelivery.createMany({ data: rows });
  return rows.length;
}
