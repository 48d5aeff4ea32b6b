// GET, POST /api/v1/orgs/{org}/webhooks — the signing secret is in the POST answer only.
import { createWebhook, listWebhooks } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) =>
  json(await listWebhooks(core, await requireActor(request), org)),
);

export const POST = route<{ org: string }>(async (request, { org }, core) => {
  const actor = await requireActor(request);
  return json(await createWebhook(core, actor, org, await readJson(request)), 201);
});
