// Samples live memory (after a forced GC, so garbage does not count) while a task runs, to tell a
// streaming implementation from one that holds a whole object.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Live memory plus the garbage not yet collected: an upper bound of live memory, read without a GC. */
function usedBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function liveBytes(): number {
  // Twice: V8 frees the backing stores of dead ArrayBuffers (Buffers) on a background thread after a
  // collection, so right after one `gc()` `arrayBuffers` may still count all the garbage chunks made since
  // the last one (a whole 20 MiB stream, when the machine is busy). The next collection first finishes
  // that sweep.
  collectGarbage();
  collectGarbage();
  return usedBytes();
}

export interface MemoryProbeOptions {
  sampleEveryMs?: number;
  /**
   * A sample whose growth, garbage included, is under this many bytes is taken as it is: only a larger
   * one pays for the two full collections that tell live memory from garbage. Each walks the whole heap
   * (~50 ms in a test process holding the AWS SDK and s3rver on a busy machine), so collecting at every
   * sample left a 64 MiB stream almost no time to run. A test that asserts a growth under a budget
   * passes the budget: every sample over it is still checked for live memory.
   */
  collectAbove?: number;
}

/**
 * Runs task and returns its result with the largest growth of memory seen, in bytes: live memory (garbage
 * collected first) wherever the growth reached `collectAbove`, below that live memory plus garbage.
 */
export async function measurePeakMemoryGrowth<T>(
  task: () => Promise<T>,
  { sampleEveryMs = 50, collectAbove = 0 }: MemoryProbeOptions = {},
): Promise<{ result: T; peakGrowth: number }> {
  const baseline = liveBytes();
  let peakGrowth = 0;
  const sample = () => {
    const used = usedBytes() - baseline;
    peakGrowth = Math.max(peakGrowth, used < collectAbove ? used : liveBytes() - baseline);
  };
  const timer = setInterval(sample, sampleEveryMs);
  try {
    const result = await task();
    sample();
    return { result, peakGrowth };
  } finally {
    clearInterval(timer);
  }
}
