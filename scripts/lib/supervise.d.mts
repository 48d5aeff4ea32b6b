// Types for supervise.mjs (used by tests written in TypeScript).
import type { ChildProcess, StdioOptions } from 'node:child_process';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
}

export interface Supervisor {
  child(name: string): ChildProcess | undefined;
  stop(): Promise<void>;
}

export function supervise(
  specs: ProcessSpec[],
  opts?: { log?: (line: string) => void; graceMs?: number; restartDelayMs?: number },
): Supervisor;

/** glibc malloc settings of the web process (see supervise.mjs). */
export const WEB_MALLOC_ENV: Record<string, string>;

/** The web process (the front bundle under node; it starts Next.js itself). */
export function webProcess(env?: NodeJS.ProcessEnv, stdio?: StdioOptions): ProcessSpec;

/** The worker process (its bundle under node). */
export function workerProcess(env?: NodeJS.ProcessEnv, stdio?: StdioOptions): ProcessSpec;

export function palletProcesses(env?: NodeJS.ProcessEnv, stdio?: StdioOptions): ProcessSpec[];
