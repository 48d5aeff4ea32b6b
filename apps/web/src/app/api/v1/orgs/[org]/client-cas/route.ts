// GET, POST /api/v1/orgs/{org}/client-cas — the org's CAs for client certificates (docs/https.md).
import { createClientCa, listClientCas } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) =>
  json(await listClientCas(core, await requireActor(request), org)),
);

export const POST = route<{ org: string }>(async (request, { org }, core) => {
  const actor = await requireActor(request);
  return json(await createClientCa(core, actor, org, await readJson(request)), 201);
});
