// POST /api/v1/orgs/{org}/repos/{repo}/keys/{fingerprint}/retire
import { retireSigningKey } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readOptionalJson } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; fingerprint: string };

export const POST = route<P>(async (request, { org, repo, fingerprint }, core) => {
  const actor = await requireActor(request);
  // No input; a body that is sent anyway is checked like any JSON body.
  await readOptionalJson(request);
  return json(await retireSigningKey(core, actor, org, repo, fingerprint));
});
