// GET, POST /api/v1/orgs/{org}/client-certificates — read grants by client certificate; a private key
// Pallet makes is in the POST answer only.
import { createClientCertificate, listClientCertificates } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const GET = route<{ org: string }>(async (request, { org }, core) =>
  json(await listClientCertificates(core, await requireActor(request), org)),
);

export const POST = route<{ org: string }>(async (request, { org }, core) => {
  const actor = await requireActor(request);
  return json(await createClientCertificate(core, actor, org, await readJson(request)), 201);
});
