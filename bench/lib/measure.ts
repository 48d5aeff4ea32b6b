// Wall time and peak resident memory of one step. The peak is the kernel's VmHWM, reset right
// before the step (clear_refs 5), so it covers only that step, not what ran earlier in the process.
import { readFileSync, writeFileSync } from 'node:fs';

function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

export interface Measured<T> {
  result: T;
  ms: number;
  peakRssBytes: number;
  /** resident memory when the step started (the process's baseline: Node, Prisma, openpgp.js...) */
  startRssBytes: number;
}

export async function measure<T>(step: () => Promise<T>): Promise<Measured<T>> {
  (globalThis as { gc?: () => void }).gc?.();
  resetPeakRss();
  const startRssBytes = process.memoryUsage.rss();
  const started = performance.now();
  const result = await step();
  const ms = performance.now() - started;
  return { result, ms, peakRssBytes: peakRssBytes(), startRssBytes };
}
