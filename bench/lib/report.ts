// What a scenario hands to scripts/bench.mjs: one JSON line per figure on stdout, prefixed so the
// runner can tell figures from log output.
export const RESULT_PREFIX = '@@bench ';

export interface Reference {
  /** e.g. "createrepo_c --update (measured here)" or "reprepro (quoted, not measured here)" */
  name: string;
  ms: number;
}

export interface BenchFigure {
  scenario: string;
  packages: number;
  ms: number;
  peakRssBytes?: number;
  /** resident memory of the process when the step started, for reading peakRssBytes */
  startRssBytes?: number;
  references?: Reference[];
  note?: string;
}

export function report(figure: BenchFigure): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(figure)}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One row of the serving table: requests/s of a Pallet setup beside nginx serving the same file from disk. */
export interface ServingFigure {
  table: 'serving';
  /** e.g. "origin (no edge)" or "edge (npm run edge)" */
  setup: string;
  /** e.g. "pool file (53 KB .deb)", "InRelease" */
  file: string;
  access: 'public' | 'private (read token)';
  reqPerSec: number;
  reference: { name: string; reqPerSec: number };
  /** a second reference measured in the same rounds (nginx with open_file_cache), printed beside */
  tunedReference?: { name: string; reqPerSec: number };
  /** the target as a fraction of the reference, e.g. 0.25 */
  target?: number;
}

export function reportServing(figure: Omit<ServingFigure, 'table'>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ table: 'serving', ...figure })}\n`);
}
