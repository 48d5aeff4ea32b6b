// The signed-in dashboard user, for server components and server actions (next-auth JWT session).
// A session whose user no longer exists counts as signed out.
import { type Actor, Unauthorized } from '@pallet/core';
import { headers } from 'next/headers';
import { getServerSession } from 'next-auth';
import { ipFromHeaders, sessionUserById } from './auth';
import { getAuthOptions } from './auth-options';

export interface SessionUser {
  userId: string;
  email: string;
}

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  return sessionUserById(session?.user?.id);
}

/** The signed-in user as a core Actor; throws Unauthorized (401) when nobody is signed in. */
export async function requireSessionActor(): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw new Unauthorized('Sign in to continue.', 'signin_required');
  return { kind: 'user', userId: user.userId, email: user.email, ip: ipFromHeaders(await headers()) };
}
