// GET /metrics, answered by the front process outside Next.js (cheap to scrape): Prometheus text of this
// web process (the front and its Next.js child), the job queues and the workers (see core's metrics-relay). With PALLET_METRICS_TOKEN set,
// only `Authorization: Bearer <that token>` gets an answer.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CoreContext, renderMetrics } from '@pallet/core';

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function answer(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

export async function serveMetrics(
  core: CoreContext,
  req: IncomingMessage,
  res: ServerResponse,
  /** More registries of this web process (the front's Next.js child), as getMetricsAsJSON() gives them. */
  extra?: () => Promise<unknown[]>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    answer(res, 405, 'method_not_allowed', 'Use GET.', { allow: 'GET, HEAD' });
    return;
  }
  const expected = core.config.metricsToken;
  if (expected) {
    const auth = req.headers.authorization ?? '';
    const presented = /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : '';
    if (!presented || !sameSecret(presented, expected)) {
      answer(res, 401, 'unauthorized', 'Missing or wrong metrics token.', { 'www-authenticate': 'Bearer' });
      return;
    }
  }
  try {
    const { contentType, body } = await renderMetrics(core, extra);
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    core.log.warn({ err: (err as Error).message }, 'metrics not rendered');
    answer(res, 503, 'unavailable', 'Metrics are unavailable right now.');
  }
}
