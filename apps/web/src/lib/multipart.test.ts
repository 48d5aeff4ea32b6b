// discardRequestBody follows the bounds it is given (PALLET_UPLOAD_DISCARD_*), not fixed ones.
import { describe, expect, it } from 'vitest';
import { type DiscardBounds, discardRequestBody } from './multipart';

/** A streamed body that delivers `size`-byte chunks every `everyMs` until cancelled, counting them. */
function trickleBody(size: number, everyMs: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((r) => setTimeout(r, everyMs));
      state.pulled++;
      controller.enqueue(new Uint8Array(size));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const request = new Request('http://pallet.test/upload', {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
  return { request, state };
}

const bounds = (over: Partial<DiscardBounds>): DiscardBounds => ({
  replyAfterMs: 500,
  maxBytes: 64 * 1024 * 1024,
  maxMs: 10_000,
  closeGraceMs: 1_000,
  ...over,
});

describe('discardRequestBody', () => {
  it('answers after the configured wait while a body keeps arriving', async () => {
    const { request, state } = trickleBody(1024, 5);
    const started = Date.now();
    await discardRequestBody(request, bounds({ replyAfterMs: 50, closeGraceMs: 10, maxMs: 100 }));
    expect(Date.now() - started).toBeLessThan(400);
    // Past maxMs reading stops and, after closeGraceMs, the body is closed.
    await expect.poll(() => state.cancelled, { timeout: 2000 }).toBe(true);
  });

  it('stops reading once the configured byte bound is passed and closes after the grace', async () => {
    const { request, state } = trickleBody(16 * 1024, 1);
    await discardRequestBody(request, bounds({ maxBytes: 64 * 1024, closeGraceMs: 20 }));
    await expect.poll(() => state.cancelled, { timeout: 2000 }).toBe(true);
    expect(state.pulled).toBeLessThan(20);
  });
});
