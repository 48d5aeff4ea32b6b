// Samples live memory (after a forced GC, so garbage does not count) while a task runs, to tell a
// streaming implementation from one that holds a whole object.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function liveBytes(): number {
  // Twice: V8 frees the backing stores of dead ArrayBuffers (Buffers) on a background thread after a
  // collection, so right after one `gc()` `arrayBuffers` may still count all the garbage chunks made since
  // the last one (a whole 20 MiB stream, when the machine is busy). The next collection first finishes
  // that sweep.
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Runs task and returns its result with the largest growth of live memory seen, in bytes. */
export async function measurePeakMemoryGrowth<T>(
  task: () => Promise<T>,
  sampleEveryMs = 50,
): Promise<{ result: T; peakGrowth: number }> {
  const baseline = liveBytes();
  let peakGrowth = 0;
  const sample = () => {
    peakGrowth = Math.max(peakGrowth, liveBytes() - baseline);
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
