// PATCH /api/v1/orgs/{org}/repos/{repo}/keys/{fingerprint}  {expiresAt}: extend (or shorten) a key's expiry
import { extendSigningKey } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; fingerprint: string };

export const PATCH = route<P>(async (request, { org, repo, fingerprint }, core) => {
  const actor = await requireActor(request);
  return json(await extendSigningKey(core, actor, org, repo, fingerprint, await readJson(request)));
});
