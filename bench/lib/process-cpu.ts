// CPU time of each process a running Pallet is made of (the web front, its Next.js child, the worker,
// the PostgreSQL backends of its database, redis-server) and of the bench itself, from /proc: a figure
// per process that other work on a shared machine does not distort the way a wall-clock rate is.
import { readdirSync, readFileSync } from 'node:fs';
import { childPids, cpuMs, pidListeningOn } from './process-rss';

export type CpuSample = Record<string, number>;

function descendants(pid: number): number[] {
  const out: number[] = [];
  for (const child of childPids(pid)) out.push(child, ...descendants(child));
  return out;
}

function cpuOf(pids: number[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      ms += cpuMs(pid);
    } catch {} // exited in between
  }
  return ms;
}

/** Pids already seen not to be a backend of the database (a process keeps its title): not read again. */
const others = new Set<string>();

/** PostgreSQL backends serving one database: their process title is `postgres: … <user> <db> <addr> …`. */
function backendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (others.has(entry) || !/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres:') && cmd.split(' ').includes(database)) pids.push(Number(entry));
      else if (cmd.startsWith('postgres:') || cmd.length > 0) others.add(entry);
    } catch {}
  }
  return pids;
}

export interface PalletProcesses {
  baseUrl: string;
  workerPid: number | undefined;
  databaseUrl: string;
  redisUrl: string;
}

/**
 * Follows every process's CPU ms from `start()`: PostgreSQL backends are looked up every 250 ms and
 * each one's last reading kept (pools open and close connections; one that exits keeps what it used;
 * one that appears counts whole, its connection set-up included). redis-server is counted whole: the
 * figure is only this instance's when the Redis is its own (REDIS_URL).
 */
export class CpuMeter {
  private readonly front: number;
  private readonly redis: number | undefined;
  private readonly database: string;
  private readonly backends = new Map<number, { first: number; last: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly p: PalletProcesses) {
    this.front = pidListeningOn(Number(new URL(p.baseUrl).port));
    try {
      this.redis = pidListeningOn(Number(new URL(p.redisUrl).port || 6379));
    } catch {
      this.redis = undefined;
    }
    this.database = new URL(p.databaseUrl).pathname.slice(1);
  }

  private pollBackends(initial: boolean): void {
    for (const pid of backendsOf(this.database)) {
      const ms = cpuOf([pid]);
      const seen = this.backends.get(pid);
      if (seen) seen.last = Math.max(seen.last, ms);
      else this.backends.set(pid, { first: initial ? ms : 0, last: ms });
    }
  }

  start(): void {
    this.pollBackends(true);
    this.timer = setInterval(() => this.pollBackends(false), 250);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** CPU ms each process used since `start()` (the PostgreSQL backends summed). */
  sample(): CpuSample {
    this.pollBackends(false);
    const usage = process.cpuUsage();
    let postgres = 0;
    for (const b of this.backends.values()) postgres += b.last - b.first;
    const sample: CpuSample = {
      front: cpuOf([this.front]),
      'next child': cpuOf(descendants(this.front)),
      worker: this.p.workerPid ? cpuOf([this.p.workerPid, ...descendants(this.p.workerPid)]) : 0,
      postgres,
      redis: this.redis ? cpuOf([this.redis]) : 0,
      bench: (usage.user + usage.system) / 1000,
    };
    return sample;
  }
}

/** `after - before` per process, divided by `count`, as "front 12.3, worker 8.1, …" (ms each). */
export function cpuPerItem(before: CpuSample, after: CpuSample, count: number): string {
  const parts = Object.keys(after).map((k) => `${k} ${((after[k]! - (before[k] ?? 0)) / count).toFixed(1)}`);
  const total = Object.keys(after).reduce((s, k) => s + after[k]! - (before[k] ?? 0), 0) / count;
  return `${parts.join(', ')}; total ${total.toFixed(1)} ms`;
}
