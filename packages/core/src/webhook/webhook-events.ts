// The events an org webhook may subscribe to. Add a new event here (and to docs/webhooks.md); the
// API accepts, and emitWebhookEvent sends, only names listed here.
export const WEBHOOK_EVENTS = [
  'package.published',
  'package.failed',
  'package.deleted',
  'publication.switched',
  'key.expiring',
  'vulnerability.found',
  'token.suspicious',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(name: string): name is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(name);
}
