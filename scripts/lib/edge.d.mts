// Types of edge.mjs for the TypeScript callers (end-to-end tests, benchmarks).
import type { ChildProcess } from 'node:child_process';

export interface EdgeOptions {
  /** host:port of the Pallet instance (its PORT). */
  origin: string;
  /** EDGE_PORT, or host:port. */
  listen: string;
  /** Prefix for the rendered configuration, pid, logs, temp files and caches. */
  dir: string;
  ttlRelease?: string;
  ttlIndex?: string;
  ttlImmutable?: string;
  authTtl?: string;
  cacheMaxSize?: string;
  workers?: string | number;
  accessLog?: boolean;
}

export interface RunningEdge {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

export const EDGE_PACKAGES: string[];
export const EDGE_DEFAULTS: Required<
  Pick<EdgeOptions, 'ttlRelease' | 'ttlIndex' | 'ttlImmutable' | 'authTtl' | 'cacheMaxSize' | 'workers'>
>;
export function renderEdgeConfig(opts: EdgeOptions): string;
export function startEdge(
  opts: EdgeOptions & { fresh?: boolean; stdio?: 'inherit' | 'ignore' },
): Promise<RunningEdge>;
