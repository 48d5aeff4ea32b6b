'use server';
// Member and invitation changes through the same core services as /api/v1/orgs/{org}/members|invitations.
import { changeMemberRole, createInvitation, removeMember, revokeInvitation } from '@pallet/core';
import { revalidatePath } from 'next/cache';
import type { ConfirmResult } from '@/components/confirm-action';
import { act } from '../../../_lib/dashboard';

export type RoleState = { ok: boolean; message: string; at: number } | null;

export async function changeRoleAction(
  org: string,
  userId: string,
  _prev: RoleState,
  form: FormData,
): Promise<RoleState> {
  const role = String(form.get('role') ?? '');
  const result = await act({ org, userId, role }, (core, actor) =>
    changeMemberRole(core, actor, org, userId, { role }),
  );
  revalidatePath(`/orgs/${org}/members`);
  return result.ok
    ? { ok: true, message: `Role changed to ${result.data.role}.`, at: Date.now() }
    : { ok: false, message: result.error, at: Date.now() };
}

export async function removeMemberAction(org: string, userId: string): Promise<ConfirmResult> {
  const result = await act({ org, userId }, (core, actor) => removeMember(core, actor, org, userId));
  revalidatePath(`/orgs/${org}/members`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

export type InviteState =
  | { ok: true; url: string; email: string | null; role: string; at: number }
  | { ok: false; error: string }
  | null;

export async function createInvitationAction(
  org: string,
  _prev: InviteState,
  form: FormData,
): Promise<InviteState> {
  const email = String(form.get('email') ?? '').trim();
  const role = String(form.get('role') ?? 'viewer');
  const days = Number(form.get('expiresInDays') ?? 7);
  const result = await act({ org, email, role }, (core, actor) =>
    createInvitation(core, actor, org, { role, expiresInDays: days, ...(email ? { email } : {}) }),
  );
  revalidatePath(`/orgs/${org}/members`);
  if (!result.ok) {
    const error = result.error.startsWith('email:')
      ? 'Enter a valid email address, or leave it empty.'
      : result.error;
    return { ok: false, error };
  }
  return { ok: true, url: result.data.url, email: result.data.email, role: result.data.role, at: Date.now() };
}

export async function revokeInvitationAction(org: string, id: string): Promise<ConfirmResult> {
  const result = await act({ org, id }, (core, actor) => revokeInvitation(core, actor, org, id));
  revalidatePath(`/orgs/${org}/members`);
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}
