// fanOut settles on every path: the unit-level proof behind "every rejected upload answers".
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fanOut } from './fan-out';

async function drain(input: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of input) n += c.length;
  return n;
}

function chunks(count: number, size = 64 * 1024): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < count; i++) yield new Uint8Array(size);
  })();
}

describe('fanOut', () => {
  it('gives every consumer every byte', async () => {
    const [a, b] = await fanOut<[number, number]>(chunks(100), [drain, drain]);
    expect(a).toBe(100 * 64 * 1024);
    expect(b).toBe(a);
  });

  it('stops at once when a consumer fails while the source is stalled, with that error', async () => {
    // A source that never yields again after its first chunk (a client that stopped sending).
    const source = new PassThrough();
    source.write(new Uint8Array(10));
    const refused = new Error('not a package');
    const run = fanOut(source, [
      drain,
      async (input) => {
        for await (const _ of input) throw refused;
        return 0;
      },
    ]);
    await expect(run).rejects.toBe(refused);
    source.destroy();
  });

  it('stops when a consumer stops reading and fails (backpressure does not hang it)', async () => {
    const refused = new Error('corrupt');
    const run = fanOut(chunks(1000), [
      drain,
      async (input) => {
        const it = input[Symbol.asyncIterator]();
        await it.next();
        await new Promise((r) => setTimeout(r, 50));
        throw refused;
      },
    ]);
    await expect(run).rejects.toBe(refused);
  });

  it('fails every consumer with the source error and waits for them to clean up', async () => {
    const cut = new Error('client went away');
    let cleaned = false;
    const source = (async function* () {
      yield new Uint8Array(10);
      throw cut;
    })();
    const run = fanOut(source, [
      drain,
      async (input) => {
        try {
          return await drain(input);
        } finally {
          await new Promise((r) => setTimeout(r, 20));
          cleaned = true;
        }
      },
    ]);
    await expect(run).rejects.toBe(cut);
    expect(cleaned).toBe(true);
  });

  it('reports a consumer failing after the source ended (a truncation found at the end)', async () => {
    const truncated = new Error('truncated');
    const run = fanOut(chunks(5), [
      drain,
      async (input) => {
        await drain(input);
        throw truncated;
      },
    ]);
    await expect(run).rejects.toBe(truncated);
  });

  it('lets a consumer finish early without stalling the others', async () => {
    const [all, first] = await fanOut<[number, number]>(chunks(200), [
      drain,
      async (input) => {
        for await (const c of input) return c.length;
        return 0;
      },
    ]);
    expect(all).toBe(200 * 64 * 1024);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(all);
  });

  it('holds a bounded window of the stream, not what it has passed on (128 MiB through a slow consumer)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      // Twice: V8 frees dead Buffers' backing stores on a background thread after a collection, so after
      // one gc() `arrayBuffers` can still count chunks already passed on (see storage's memory-probe.ts).
      gc();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = live();
    let peak = 0;
    // Sampled from inside the slow consumer every 8 MiB it reads, while the source presses on it.
    const slow = async (input: AsyncIterable<Uint8Array>) => {
      let n = 0;
      let read = 0;
      for await (const c of input) {
        n += c.length;
        if (++read % 128 === 0) peak = Math.max(peak, live() - baseline);
        await new Promise((r) => setImmediate(r));
      }
      return n;
    };
    const [a, b] = await fanOut<[number, number]>(chunks(2048), [slow, drain]);
    peak = Math.max(peak, live() - baseline);
    expect([a, b]).toEqual([128 * 1024 * 1024, 128 * 1024 * 1024]);
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  });
});
