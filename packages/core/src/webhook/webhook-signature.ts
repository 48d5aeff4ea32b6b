// Webhook secrets and signatures. A delivery carries `X-Pallet-Timestamp: <unix seconds>` and
// `X-Pallet-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`; binding the timestamp
// into the MAC lets a receiver refuse replays older than its tolerance (docs/webhooks.md). The secret is
// kept only sealed under the master key (AES-256-GCM, the signing keys' envelope), bound to the webhook id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { openPrivateKey, sealPrivateKey } from '@pallet/openpgp';
import { generateTokenSecret } from '../token/token-secret';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const SIGNATURE_HEADER = 'x-pallet-signature';
export const TIMESTAMP_HEADER = 'x-pallet-timestamp';
/** what docs/webhooks.md tells receivers to accept: five minutes either way */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function generateWebhookSecret(): string {
  return generateTokenSecret(WEBHOOK_SECRET_PREFIX);
}

export function secretPrefixOf(secret: string): string {
  return `${secret.slice(0, Math.min(secret.length, 10))}…`;
}

function aad(webhookId: string): string {
  return `webhook:${webhookId}`;
}

export function sealWebhookSecret(
  secret: string,
  masterKey: Uint8Array,
  webhookId: string,
): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sealPrivateKey(secret, masterKey, aad(webhookId)));
}

export function openWebhookSecret(sealed: Uint8Array, masterKey: Uint8Array, webhookId: string): string {
  return openPrivateKey(sealed, masterKey, aad(webhookId));
}

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The receiver's check (used by the tests and shown in docs/webhooks.md). */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | null | undefined; timestamp: string | null | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
