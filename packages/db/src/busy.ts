// The database is reachable but has no connection free for this request in time: the request did
// nothing and may be retried (HTTP 503 with Retry-After), unlike a bug or an outage. Prisma reports it
// as P2028 ("Unable to start a transaction in the given time"); node-postgres as a connect timeout.

/** Whether `err` means "every pooled connection was busy for longer than we wait", nothing else. */
export function isDatabaseBusy(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'P2028' && message.includes('Unable to start a transaction in the given time')) return true;
  return message === 'timeout exceeded when trying to connect';
}

/**
 * How long an interactive transaction waits for a pooled connection, and how long it may run. Prisma's
 * defaults (2 s, 5 s) turn a burst of 20 concurrent uploads on a loaded 2-core machine into 500s; waiting
 * longer queues them instead. A wait past this is answered 503 (isDatabaseBusy).
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;
