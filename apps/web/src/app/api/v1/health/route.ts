// GET /api/v1/health — no credentials; 503 when a dependency is down.
import { checkHealth } from '@pallet/core';
import { json } from '@/lib/http';
import { route } from '@/lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (_request, _params, core) => {
  const health = await checkHealth(core);
  return json(health, health.status === 'ok' ? 200 : 503);
});
