// POST /api/v1/orgs/{org}/repos/{repo}/keys/rotate  {algorithm?, expiresAt?}
import { rotateSigningKey } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route<{ org: string; repo: string }>(async (request, { org, repo }, core) => {
  const actor = await requireActor(request);
  // The body is optional: no body rotates to a key of the active key's algorithm.
  const hasBody =
    request.headers.get('content-type') !== null || (request.headers.get('content-length') ?? '0') !== '0';
  const body = hasBody ? await readJson(request) : {};
  return json(await rotateSigningKey(core, actor, org, repo, body), 201);
});
