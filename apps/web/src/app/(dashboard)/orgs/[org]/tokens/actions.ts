'use server';
// Token changes through the same core services as POST/DELETE /api/v1/orgs/{org}/tokens.
import { createToken, revokeClientCertificate, revokeToken } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import type { ConfirmResult } from '@/components/confirm-action';
import { act } from '../../../_lib/dashboard';

export type CreateTokenState =
  | { ok: true; name: string; secret: string; at: number }
  | { ok: false; error: string }
  | null;

export async function createTokenAction(
  org: string,
  _prev: CreateTokenState,
  form: FormData,
): Promise<CreateTokenState> {
  const name = String(form.get('name') ?? '').trim();
  const scopes = form.getAll('scopes').map(String);
  const repos = form.getAll('repos').map(String);
  const expires = String(form.get('expiresAt') ?? '');
  const customer = String(form.get('customer') ?? '').trim();
  if (!name) return { ok: false, error: 'Give the token a name, e.g. “ci-deploy” or a customer’s name.' };
  if (scopes.length === 0) return { ok: false, error: 'Choose at least one scope.' };
  const result = await act({ org, name, scopes, repos, expires, customer }, (core, actor) =>
    createToken(core, actor, org, {
      name,
      scopes,
      ...(repos.length ? { repos } : {}),
      ...(expires ? { expiresAt: `${expires}T23:59:59Z` } : {}),
      ...(customer ? { customer } : {}),
    }),
  );
  revalidatePath(`/orgs/${org}/tokens`);
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, name: result.data.name, secret: result.data.token, at: Date.now() };
}

export async function revokeTokenAction(org: string, id: string): Promise<ConfirmResult> {
  const result = await act({ org, id }, (core, actor) => revokeToken(core, actor, org, id));
  revalidatePath(`/orgs/${org}/tokens`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

export async function revokeClientCertificateAction(org: string, id: string): Promise<ConfirmResult> {
  const result = await act({ org, id }, (core, actor) => revokeClientCertificate(core, actor, org, id));
  revalidatePath(`/orgs/${org}/tokens`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
