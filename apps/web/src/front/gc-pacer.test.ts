// The pacer's choice between a young-generation and a full collection, on a simulated buffer count.
import { describe, expect, it } from 'vitest';
import { GcPacer } from './gc-pacer';

const MiB = 1024 * 1024;

/** Buffer memory that a minor collection brings down to `afterMinor`, a full one to `afterFull`. */
function simulatedHeap() {
  const heap = { buffers: 0, afterMinor: 0, afterFull: 0, calls: [] as string[] };
  const gc = (options?: { type: 'minor' | 'major' }) => {
    const minor = options?.type === 'minor';
    heap.calls.push(minor ? 'minor' : 'full');
    heap.buffers = minor ? heap.afterMinor : heap.afterFull;
  };
  const pacer = new GcPacer(gc, () => heap.buffers);
  return { heap, pacer };
}

describe('GcPacer', () => {
  it('does nothing until buffer memory grew by its step', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    heap.buffers = 10 * MiB;
    pacer.check();
    expect(heap.calls).toEqual([]);
    release();
  });

  it('frees young dead buffers with a young-generation collection alone', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    heap.buffers = 20 * MiB;
    heap.afterMinor = 2 * MiB;
    pacer.check();
    expect(heap.calls).toEqual(['minor']);
    release();
  });

  it('collects the whole heap when dead buffers survived into the old generation', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    heap.buffers = 40 * MiB;
    heap.afterMinor = 30 * MiB;
    heap.afterFull = 3 * MiB;
    pacer.check();
    expect(heap.calls).toEqual(['minor', 'full']);
    expect(heap.buffers).toBe(3 * MiB);
    release();
  });

  it('collects the whole heap once when the bytes stop with dead buffers counted, not again while stopped', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    heap.buffers = 10 * MiB;
    pacer.check();
    expect(heap.calls).toEqual([]);
    heap.afterFull = 9 * MiB; // what is left is live (parts still in flight)
    pacer.check();
    expect(heap.calls).toEqual(['full']);
    pacer.check();
    pacer.check();
    expect(heap.calls).toEqual(['full']);
    release();
  });

  it('counts a stop against the buffer memory the uploads started from, not the last full collection', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    // Streaming: a full collection leaves 20 MiB of live parts.
    heap.buffers = 40 * MiB;
    heap.afterMinor = 36 * MiB;
    heap.afterFull = 20 * MiB;
    pacer.check();
    expect(heap.calls).toEqual(['minor', 'full']);
    // The body is in: those parts are dead now, but nothing is allocated that would trigger a collection.
    heap.afterFull = 1 * MiB;
    pacer.check();
    expect(heap.calls).toEqual(['minor', 'full', 'full']);
    expect(heap.buffers).toBe(1 * MiB);
    release();
  });

  it('leaves a stopped upload alone when little buffer memory is counted', () => {
    const { heap, pacer } = simulatedHeap();
    const release = pacer.hold();
    heap.buffers = 2 * MiB;
    pacer.check();
    pacer.check();
    expect(heap.calls).toEqual([]);
    release();
  });

  it('without an exposed gc, holds nothing and collects nothing', () => {
    const pacer = new GcPacer(undefined, () => 100 * MiB);
    pacer.hold()();
    pacer.check();
    expect(pacer.minorCollections + pacer.fullCollections).toBe(0);
  });
});
