// Feeds one byte stream to several consumers at once (storage and a parser, say) in constant memory.
// Every path settles: the first failure — of the source or of any consumer — stops reading the source
// at once (even mid-wait), destroys every consumer's input with that error, and is thrown once all
// consumers have settled, so nothing keeps running behind a rejected upload.
import { PassThrough } from 'node:stream';

type Consumer<R> = (input: AsyncIterable<Uint8Array>) => Promise<R>;

const STOP = Symbol('stop');

export async function fanOut<R extends unknown[]>(
  source: AsyncIterable<Uint8Array>,
  consumers: { [K in keyof R]: Consumer<R[K]> },
): Promise<R> {
  const list = consumers as unknown as Consumer<unknown>[];
  const inputs = list.map(() => new PassThrough({ highWaterMark: 1 << 20 }));
  for (const input of inputs) input.on('error', () => {});
  let failure: { error: unknown } | null = null;
  // Waits end on events whose listeners are removed afterwards. (Racing each wait against a promise that
  // lives as long as the upload kept every race, and with it every chunk read, reachable: a 1 GiB upload
  // held 1 GiB of memory.)
  const stopping = new AbortController();
  const fail = (error: unknown) => {
    if (failure) return;
    failure = { error };
    stopping.abort();
    // Not awaited: a source blocked in next() finishes its return() only once its owner destroys it.
    Promise.resolve(iterator.return?.()).catch(() => {});
    const reason = error instanceof Error ? error : new Error(String(error));
    for (const input of inputs) input.destroy(reason);
  };
  const iterator = source[Symbol.asyncIterator]();
  const finished = list.map(() => false);
  /** Wakes the loop waiting for input i to drain (its consumer finished, so it never will). */
  const wake: ((() => void) | null)[] = list.map(() => null);
  const runs = list.map((consume, i) =>
    consume(inputs[i]!).then(
      (value) => {
        finished[i] = true;
        wake[i]?.();
        return value;
      },
      (error: unknown) => {
        finished[i] = true;
        wake[i]?.();
        fail(error);
        throw error;
      },
    ),
  );
  for (const run of runs) run.catch(() => {});
  const settled = runs.map((run) =>
    run.then(
      () => undefined,
      () => undefined,
    ),
  );

  /** The next chunk, or STOP as soon as something failed (even while the source is still waiting). */
  const nextOrStop = () =>
    new Promise<IteratorResult<Uint8Array> | typeof STOP>((resolve, reject) => {
      const onStop = () => resolve(STOP);
      stopping.signal.addEventListener('abort', onStop, { once: true });
      iterator.next().then(
        (next) => {
          stopping.signal.removeEventListener('abort', onStop);
          resolve(next);
        },
        (error: unknown) => {
          stopping.signal.removeEventListener('abort', onStop);
          reject(error);
        },
      );
    });
  /** Until input i drains, its consumer finishes (a consumer done early takes no more bytes), or a failure. */
  const drained = (i: number) =>
    new Promise<void>((resolve) => {
      const input = inputs[i]!;
      const done = () => {
        input.off('drain', done);
        input.off('close', done);
        stopping.signal.removeEventListener('abort', done);
        wake[i] = null;
        resolve();
      };
      input.on('drain', done);
      input.on('close', done);
      stopping.signal.addEventListener('abort', done, { once: true });
      wake[i] = done;
      if (finished[i] || stopping.signal.aborted) done();
    });

  try {
    while (!failure) {
      const next = await nextOrStop();
      if (next === STOP || next.done) break;
      const chunk = next.value instanceof Uint8Array ? next.value : Buffer.from(next.value as string);
      for (let i = 0; i < inputs.length && !failure; i++) {
        const input = inputs[i]!;
        if (finished[i]) continue;
        if (!input.write(chunk)) await drained(i);
      }
    }
  } catch (error) {
    fail(error);
  }
  if (!failure) for (const input of inputs) input.end();
  // A consumer may still fail after the source ended (a parser meeting a truncation): wait for all.
  await Promise.all(settled);
  if (failure) throw (failure as { error: unknown }).error;
  return (await Promise.all(runs)) as R;
}
