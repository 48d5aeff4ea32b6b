// POST /api/v1/orgs/{org}/repos/{repo}/keys/import  {armoredPrivateKey, passphrase?}: bring your own key
import { importSigningKey } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string };

export const POST = route<P>(async (request, { org, repo }, core) => {
  const actor = await requireActor(request);
  return json(await importSigningKey(core, actor, org, repo, await readJson(request)), 201);
});
