// What the API and dashboard show of a webhook and its deliveries (never the secret, only its prefix).
import type { Webhook, WebhookDelivery } from '@pallet/db';

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  secretPrefix: string;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'queued' | 'retrying' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  attemptLog: unknown;
  redeliveryOf: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  payload: unknown;
}

export function toWebhookView(w: Webhook): WebhookView {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    secretPrefix: w.secretPrefix,
    createdAt: w.createdAt.toISOString(),
  };
}

export function toWebhookDeliveryView(d: WebhookDelivery): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.event,
    status: d.status.toLowerCase() as WebhookDeliveryView['status'],
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    attemptLog: d.attemptLog,
    redeliveryOf: d.redeliveryOfId,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    payload: d.payload,
  };
}
