// GET, POST /api/v1/orgs/{org}/oidc-trusts — CI providers whose ID tokens may be exchanged for tokens.
import { createOidcTrust, listOidcTrusts } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) =>
  json(await listOidcTrusts(core, await requireActor(request), org)),
);

export const POST = route<{ org: string }>(async (request, { org }, core) => {
  const actor = await requireActor(request);
  return json(await createOidcTrust(core, actor, org, await readJson(request)), 201);
});
