// PATCH, DELETE /api/v1/orgs/{org}/members/{userId} — change a role; remove a member (or leave).
import { changeMemberRole, removeMember } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; userId: string };

export const PATCH = route<P>(async (request, { org, userId }, core) => {
  const actor = await requireActor(request);
  return json(await changeMemberRole(core, actor, org, userId, await readJson(request)));
});

export const DELETE = route<P>(async (request, { org, userId }, core) => {
  await removeMember(core, await requireActor(request), org, userId);
  return new Response(null, { status: 204 });
});
