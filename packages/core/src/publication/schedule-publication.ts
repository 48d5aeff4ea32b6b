// When a distribution's next publication may run. Two rules:
// 1. At most one publication per distribution per second. Release `Date` has whole seconds
//    (RFC 2822), must strictly increase (apt keeps the newer of two Release files), and must never be
//    later than the clock: apt refuses a Release file "not valid yet". Publishing at most once a
//    second lets every publication use the current second, so changes in the same second coalesce.
// 2. An adaptive debounce: a change waits for a pause in changes as long as 1.5 times the last gap
//    between them (at least `quietMs`, at most half of `maxDelayMs`), so a CI job pushing files one
//    after another gets a few publications instead of one each; no pending change waits longer than
//    `maxDelayMs`, and an upload after a quiet spell publishes after `quietMs`.

export interface PublicationTiming {
  /** the shortest pause in changes to wait for */
  quietMs: number;
  /** the longest any pending change waits while more keep arriving */
  maxDelayMs: number;
}

export interface PublicationState {
  now: number;
  /** `Date` of the current publication (whole seconds), if there is one */
  currentDate?: number;
  /** when the current publication was made */
  currentMadeAt?: number;
  /** times of the changes not yet published: the newest, the one before it, the oldest */
  newestChange?: number;
  previousChange?: number;
  oldestChange?: number;
}

/** The earliest time (epoch ms) the next publication may run; it may run now if this is <= `now`. */
export function scheduleNextPublication(state: PublicationState, timing?: PublicationTiming): number {
  const nextSecond =
    state.currentDate === undefined
      ? Number.NEGATIVE_INFINITY
      : Math.floor(state.currentDate / 1000) * 1000 + 1000;
  if (!timing || state.newestChange === undefined) return Math.max(state.now, nextSecond);
  const before = state.previousChange ?? state.currentMadeAt;
  const gap = before === undefined ? Number.POSITIVE_INFINITY : Math.max(0, state.newestChange - before);
  const quietCap = Math.max(timing.quietMs, timing.maxDelayMs / 2);
  const quiet = gap <= quietCap ? Math.min(Math.max(1.5 * gap, timing.quietMs), quietCap) : timing.quietMs;
  const debounced = Math.min(
    state.newestChange + quiet,
    (state.oldestChange ?? state.newestChange) + timing.maxDelayMs,
  );
  return Math.max(debounced, nextSecond);
}
