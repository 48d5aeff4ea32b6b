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

/** CPU time (user + system, all threads) the process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The direct children of a process (the web front's Next.js child), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
