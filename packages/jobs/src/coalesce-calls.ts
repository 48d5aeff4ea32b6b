// Calls that only need to happen once after a caller asked, not once per caller: a burst of uploads into
// one distribution needs one ingestion request sent after each upload's commit, and a request that
// starts after several commits serves them all (the ingest job reads every waiting package).

/**
 * Runs `run(key)` at most once at a time per key. A call made while one runs shares the single next
 * run, which starts when the current one settles; so every caller's promise settles with a run that
 * started after its call (with that run's outcome).
 */
export function coalesceCalls(run: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const pending = new Map<string, { running: Promise<void>; next: Promise<void> | null }>();
  const start = (key: string): Promise<void> => {
    const running = run(key);
    const entry = { running, next: null as Promise<void> | null };
    pending.set(key, entry);
    const settled = () => {
      if (pending.get(key) === entry && entry.next === null) pending.delete(key);
    };
    running.then(settled, settled);
    return running;
  };
  return (key) => {
    const entry = pending.get(key);
    if (!entry) return start(key);
    entry.next ??= entry.running.then(
      () => start(key),
      () => start(key),
    );
    return entry.next;
  };
}
