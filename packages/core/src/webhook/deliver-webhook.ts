// One delivery attempt (the worker's webhook job): POST the signed event to the webhook's URL and record
// the attempt (status code, duration, error). No redirect is followed, the connection goes only to an
// address the SSRF guard accepted (webhook-target.ts), and the answer's body is not read beyond 4 KiB.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Prisma } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { openWebhookSecret, SIGNATURE_HEADER, signWebhookBody, TIMESTAMP_HEADER } from './webhook-signature';
import { guardedLookup, isNonPublicAddress, urlHost, WebhookTargetRefused } from './webhook-target';

const MAX_LOGGED_ATTEMPTS = 20;

export type DeliveryOutcome =
  | { outcome: 'delivered'; status: number }
  /** try again later (BullMQ backoff) */
  | { outcome: 'retry'; message: string }
  /** no further attempt: the last one failed, or the target is refused */
  | { outcome: 'failed'; message: string }
  /** deleted webhook, or a delivery already finished */
  | { outcome: 'gone' };

/** The JSON body a receiver gets; `id` is the event's id (the same on every redelivery). */
export function webhookBody(d: {
  eventId: string;
  event: string;
  createdAt: Date;
  orgSlug: string;
  payload: Prisma.JsonValue;
}): string {
  return JSON.stringify({
    id: d.eventId,
    event: d.event,
    createdAt: d.createdAt.toISOString(),
    org: d.orgSlug,
    data: d.payload,
  });
}

export async function deliverWebhook(
  ctx: CoreContext,
  deliveryId: string,
  attempt: { isLast: boolean },
): Promise<DeliveryOutcome> {
  const d = await ctx.db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { webhook: { include: { org: { select: { slug: true } } } } },
  });
  if (!d || d.status === 'DELIVERED' || d.status === 'FAILED') return { outcome: 'gone' };
  const { webhook } = d;
  const secret = openWebhookSecret(webhook.sealedSecret, ctx.config.masterKey, webhook.id);
  const body = webhookBody({ ...d, orgSlug: webhook.org.slug });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Pallet-Webhook/1',
    'x-pallet-event': d.event,
    'x-pallet-delivery': d.id,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhookBody(secret, timestamp, body),
  };
  const at = new Date();
  const started = performance.now();
  let status: number | undefined;
  let error: string | undefined;
  let refused = false;
  try {
    status = await postOnce(new URL(webhook.url), headers, body, {
      allowPrivate: ctx.config.webhooks.allowPrivate,
      timeoutMs: ctx.config.webhooks.timeoutMs,
    });
  } catch (err) {
    refused = err instanceof WebhookTargetRefused;
    error = (err as Error).message.slice(0, 300);
  }
  const durationMs = Math.round(performance.now() - started);
  const ok = status !== undefined && status >= 200 && status < 300;
  if (!ok && !error)
    error = `answered ${status}${status && status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`;
  const finished = ok || refused || attempt.isLast;
  const log = Array.isArray(d.attemptLog) ? d.attemptLog : [];
  const entry = { at: at.toISOString(), status: status ?? null, durationMs, error: error ?? null };
  await ctx.db.webhookDelivery.update({
    where: { id: d.id },
    data: {
      status: ok ? 'DELIVERED' : finished ? 'FAILED' : 'RETRYING',
      attempts: { increment: 1 },
      responseStatus: status ?? null,
      durationMs,
      error: ok ? null : (error ?? null),
      lastAttemptAt: at,
      deliveredAt: ok ? new Date() : null,
      attemptLog: [...log, entry].slice(-MAX_LOGGED_ATTEMPTS),
    },
  });
  const origin = new URL(webhook.url).origin;
  if (ok) return { outcome: 'delivered', status: status! };
  const message = `webhook ${origin}: ${error}`;
  return finished ? { outcome: 'failed', message } : { outcome: 'retry', message };
}

function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  opts: { allowPrivate: boolean; timeoutMs: number },
): Promise<number> {
  // An IP literal is connected to without a lookup, so it is checked here.
  const host = urlHost(url);
  if (!opts.allowPrivate && isIP(host) && isNonPublicAddress(host))
    return Promise.reject(new WebhookTargetRefused(`${host} is a non-public address`));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(opts.allowPrivate),
        timeout: opts.timeoutMs,
        agent: false,
      },
      (res: IncomingMessage) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 4096) res.destroy();
        });
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
