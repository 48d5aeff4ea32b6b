// GET /api/v1/orgs/{org}/members
import { listMembers } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) =>
  json({ items: await listMembers(core, await requireActor(request), org) }),
);
