// The small state file `pallet verify` keeps per Pallet server: the log key pinned on first use and the
// newest checkpoint it verified, so the next run can prove the log only grew since (no fork, no rewrite).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface SeenLog {
  verifierKey: string;
  treeSize: number;
  /** base64 root hash */
  rootHash: string;
  /** the signed checkpoint as served, kept as evidence */
  checkpoint: string;
  seenAt: string;
}

interface StateFile {
  version: 1;
  logs: Record<string, SeenLog>;
}

export function defaultStatePath(env: Record<string, string | undefined>): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'pallet', 'verify-state.json');
}

function read(path: string): StateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, logs: {} };
    throw err;
  }
  const parsed = JSON.parse(text) as StateFile;
  if (parsed?.version !== 1 || typeof parsed.logs !== 'object')
    throw new Error(`${path} is not a pallet verify state file`);
  return parsed;
}

export function readSeenLog(path: string, server: string): SeenLog | undefined {
  return read(path).logs[server];
}

/** Replaces the server's record; written to a temporary file and renamed, so a crash never truncates it. */
export function writeSeenLog(path: string, server: string, seen: SeenLog): void {
  const state = read(path);
  state.logs[server] = seen;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}
