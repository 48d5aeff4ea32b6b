'use server';
// Webhook changes through the same core services as the /api/v1/orgs/{org}/webhooks endpoints.
import { createWebhook, deleteWebhook, redeliverWebhook } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import type { ConfirmResult } from '@/components/confirm-action';
import { act } from '../../../_lib/dashboard';

export type CreateWebhookState =
  | { ok: true; url: string; secret: string; at: number }
  | { ok: false; error: string }
  | null;

export async function createWebhookAction(
  org: string,
  _prev: CreateWebhookState,
  form: FormData,
): Promise<CreateWebhookState> {
  const url = String(form.get('url') ?? '').trim();
  const events = form.getAll('events').map(String);
  const secret = String(form.get('secret') ?? '');
  if (!url) return { ok: false, error: 'Give the URL that receives the events.' };
  if (events.length === 0) return { ok: false, error: 'Choose at least one event.' };
  const result = await act({ org, url, events, secret }, (core, actor) =>
    createWebhook(core, actor, org, { url, events, ...(secret ? { secret } : {}) }),
  );
  revalidatePath(`/orgs/${org}/webhooks`);
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, url: result.data.url, secret: result.data.secret, at: Date.now() };
}

export async function deleteWebhookAction(org: string, id: string): Promise<ConfirmResult> {
  const result = await act({ org, id }, (core, actor) => deleteWebhook(core, actor, org, id));
  revalidatePath(`/orgs/${org}/webhooks`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

export async function redeliverAction(org: string, id: string, deliveryId: string): Promise<ConfirmResult> {
  const result = await act({ org, id, deliveryId }, (core, actor) =>
    redeliverWebhook(core, actor, org, id, deliveryId),
  );
  revalidatePath(`/orgs/${org}/webhooks/${id}`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
