import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs, retryingFetch } from './retry';

let server: Server | undefined;

afterEach(() => server?.close());

/** A real HTTP server answering the given statuses in turn (then 200). */
async function serve(
  answers: { status: number; retryAfter?: string }[],
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  server = createServer((_req, res) => {
    const a = answers[hits++] ?? { status: 200 };
    res.writeHead(a.status, a.retryAfter ? { 'retry-after': a.retryAfter } : {});
    res.end(JSON.stringify({ ok: a.status === 200 }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits: () => hits };
}

describe('retryingFetch', () => {
  it('retries 429 and 503, waiting what Retry-After asks', async () => {
    const { url, hits } = await serve([{ status: 429, retryAfter: '2' }, { status: 503 }]);
    const waits: number[] = [];
    const send = retryingFetch({
      retries: 5,
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const res = await send(url);
    expect(res.status).toBe(200);
    expect(hits()).toBe(3);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { url, hits } = await serve([{ status: 409 }]);
    const res = await retryingFetch({ retries: 5, baseDelayMs: 1, maxDelayMs: 1 })(url);
    expect(res.status).toBe(409);
    expect(hits()).toBe(1);
  });

  it('hands back the last 5xx once the retries are used up', async () => {
    const { url, hits } = await serve([{ status: 502 }, { status: 502 }, { status: 502 }]);
    const res = await retryingFetch({ retries: 2, baseDelayMs: 1, maxDelayMs: 1 })(url);
    expect(res.status).toBe(502);
    expect(hits()).toBe(3);
  });

  it('caps a long Retry-After and reads HTTP dates', () => {
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(backoffMs({ retries: 9, baseDelayMs: 500, maxDelayMs: 30_000 }, 10, () => 1)).toBe(30_000);
  });
});
