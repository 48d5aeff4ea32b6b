// The probe behind the storage contract's streaming test: garbage must not count as held memory, or a
// driver that streams looks like one that holds the whole object whenever the machine is busy.
import { describe, expect, it } from 'vitest';
import { measurePeakMemoryGrowth } from './memory-probe';

const MiB = 1024 * 1024;

describe('measurePeakMemoryGrowth', () => {
  it('does not count Buffers that are no longer reachable', async () => {
    // 20 MiB of 64 KiB chunks made and dropped between two samples, as a fast disk write of a 20 MiB
    // stream does; repeated, since the background release of their memory is sometimes done in time.
    for (let round = 0; round < 5; round++) {
      const { peakGrowth } = await measurePeakMemoryGrowth(async () => {
        for (let i = 0; i < 320; i++) Buffer.alloc(64 * 1024, i).fill(i + 1);
      });
      expect(peakGrowth).toBeLessThan(4 * MiB);
    }
  });

  it('with collectAbove, still collects garbage before counting a sample that reaches it', async () => {
    const { peakGrowth } = await measurePeakMemoryGrowth(
      async () => {
        for (let i = 0; i < 320; i++) Buffer.alloc(64 * 1024, i).fill(i + 1);
        await new Promise((r) => setTimeout(r, 120));
      },
      { collectAbove: 4 * MiB },
    );
    expect(peakGrowth).toBeLessThan(4 * MiB);
  });

  it('counts Buffers still held', async () => {
    const held: Buffer[] = [];
    const { peakGrowth } = await measurePeakMemoryGrowth(async () => {
      for (let i = 0; i < 160; i++) held.push(Buffer.alloc(64 * 1024, i));
    });
    expect(held).toHaveLength(160);
    expect(peakGrowth).toBeGreaterThan(9 * MiB);
  });
});
