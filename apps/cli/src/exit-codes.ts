// The exit status of `pallet push` and the other commands, one per outcome, so a pipeline can branch on
// it (documented in docs/cli.md). `pallet verify` keeps its own codes (see its usage text).
export const EXIT = {
  ok: 0,
  /** Wrong arguments, a glob that matches nothing, or an unexpected error. */
  usage: 1,
  /** 401/403: no token, a wrong, expired or revoked token, or a token without the scope. */
  auth: 2,
  /** The server refused the request or the file (400, 404, 409, 413, 415, 422, 423). */
  refused: 3,
  /** The package was accepted but its publication failed. */
  failed: 4,
  /** --wait gave up before the package left `processing`. */
  timeout: 5,
  /** The server could not be reached, or kept answering 429/5xx after every retry. */
  unavailable: 6,
  /** `pallet vulnerabilities --fail-on S`: findings at or above that severity. */
  findings: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class UsageError extends Error {}

/** When files of one push end differently, the lowest-numbered non-zero outcome wins. */
export function worstExit(codes: number[]): number {
  const bad = codes.filter((c) => c !== EXIT.ok);
  return bad.length ? Math.min(...bad) : EXIT.ok;
}

export function exitForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 429 || status >= 500) return EXIT.unavailable;
  return EXIT.refused;
}
