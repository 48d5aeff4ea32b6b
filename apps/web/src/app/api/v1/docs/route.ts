// GET /api/v1/docs: the human-readable API reference, rendered from docs/openapi.json (bundled at build
// time) into one self-contained HTML page: no scripts, no external resources, no credentials needed.
import { renderApiReference } from '@/lib/api-reference';
import { route } from '@/lib/route';
import openapi from '../../../../../../../docs/openapi.json';

let page: string | undefined;

export const GET = route(async () => {
  page ??= renderApiReference(openapi);
  return new Response(page, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
  });
});
