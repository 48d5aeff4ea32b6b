'use server';
// Accepts an invitation for the signed-in user (same core service as POST /api/v1/invitations/accept).
import { acceptInvitation } from '@pallet/core';
import { redirect } from 'next/navigation';
import { act } from '../../_lib/dashboard';

export async function acceptInvitationAction(token: string, _prev: string | null): Promise<string | null> {
  const result = await act({ token }, (core, actor) => acceptInvitation(core, actor, token));
  if (!result.ok) return result.error;
  redirect(`/orgs/${result.data.org.slug}/repos`);
}
