// POST /api/v1/oidc/token — exchanges a CI provider's ID token for a short-lived API token (≤ 1 h).
import { exchangeOidcToken } from '@pallet/core';
import { clientIp } from '@/lib/auth';
import { json, readJson } from '@/lib/http';
import { route } from '@/lib/route';

export const POST = route(async (request, _params, core) =>
  json(await exchangeOidcToken(core, await readJson(request), clientIp(request)), 201),
);
