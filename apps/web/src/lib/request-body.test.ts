import { TooLarge } from '@pallet/core';
import { describe, expect, it } from 'vitest';
import { readLimitedText } from './request-body';

const DRAIN = 256 * 1024 * 1024;

/** A streamed body of `chunks` × `size` bytes that records how many chunks were pulled from it. */
function countingBody(chunks: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled === chunks) {
        controller.close();
        return;
      }
      state.pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request('http://pallet.test/api/v1/signup', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);
}

describe('readLimitedText', () => {
  it('reads a body up to the limit, multi-byte characters split across chunks included', async () => {
    const bytes = new TextEncoder().encode('{"name":"café 📦"}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    expect(await readLimitedText(post(stream), bytes.length, DRAIN)).toBe('{"name":"café 📦"}');
  });

  it('refuses a declared Content-Length over the limit without waiting for the body', async () => {
    // A body that never delivers a byte: only the declared length can decide.
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const request = post(stalled, { 'content-length': String(100 * 1024 * 1024) });
    await expect(readLimitedText(request, 1024, DRAIN)).rejects.toBeInstanceOf(TooLarge);
  });

  it('stops a streamed body without Content-Length as soon as it passes the limit', async () => {
    const { stream, state } = countingBody(1000, 1024);
    const error = await readLimitedText(post(stream), 4096, DRAIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooLarge);
    expect((error as TooLarge).code).toBe('body_too_large');
    expect(state.pulled).toBeLessThan(10);
  });

  it('drains the rest of a refused body in the background instead of leaving it unread', async () => {
    const { stream, state } = countingBody(50, 1024);
    await expect(readLimitedText(post(stream), 4096, DRAIN)).rejects.toBeInstanceOf(TooLarge);
    await expect.poll(() => state.pulled).toBe(50);
  });

  it('stops draining and cancels the stream once the configured drain bound is passed', async () => {
    const { stream, state } = countingBody(1000, 1024);
    await expect(readLimitedText(post(stream), 4096, 8 * 1024)).rejects.toBeInstanceOf(TooLarge);
    await expect.poll(() => state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(30);
  });
});
