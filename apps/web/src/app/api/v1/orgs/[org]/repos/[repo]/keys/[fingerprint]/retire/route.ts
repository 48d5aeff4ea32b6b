// POST /api/v1/orgs/{org}/repos/{repo}/keys/{fingerprint}/retire
import { retireSigningKey } from '@pallet/core';
import { requireActor } from '@/lib/auth';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

type P = { org: string; repo: string; fingerprint: string };

export const POST = route<P>(async (request, { org, repo, fingerprint }, core) =>
  json(await retireSigningKey(core, await requireActor(request), org, repo, fingerprint)),
);
