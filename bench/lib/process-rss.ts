// Resident memory of another process (the web server under test), sampled from /proc while a step runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The pid listening on a local TCP port (the web app the harness started), via ss. */
export function pidListeningOn(port: number): number {
  const out = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' }).stdout ?? '';
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process is listening on port ${port}`);
  return Number(pid);
}

export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples the process's RSS every intervalMs while step runs; returns the peak seen. */
export async function peakRssDuring<T>(
  pid: number,
  step: () => Promise<T>,
  intervalMs = 50,
): Promise<{ result: T; peakRssBytes: number; startRssBytes: number; ms: number }> {
  const startRssBytes = rssBytes(pid);
  let peak = startRssBytes;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, intervalMs);
  const started = performance.now();
  try {
    const result = await step();
    peak = Math.max(peak, rssBytes(pid));
    return { result, peakRssBytes: peak, startRssBytes, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}
