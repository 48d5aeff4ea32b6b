// Feeds one byte stream to several consumers at once (storage and a parser, say) in constant memory.
// Every path settles: the first failure — of the source or of any consumer — stops reading the source
// at once (even mid-wait), destroys every consumer's input with that error, and is thrown once all
// consumers have settled, so nothing keeps running behind a rejected upload.
import { once } from 'node:events';
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
  let stop: (v: typeof STOP) => void = () => {};
  const stopped = new Promise<typeof STOP>((resolve) => {
    stop = resolve;
  });
  const fail = (error: unknown) => {
    if (failure) return;
    failure = { error };
    stop(STOP);
    // Not awaited: a source blocked in next() finishes its return() only once its owner destroys it.
    Promise.resolve(iterator.return?.()).catch(() => {});
    const reason = error instanceof Error ? error : new Error(String(error));
    for (const input of inputs) input.destroy(reason);
  };
  const iterator = source[Symbol.asyncIterator]();
  const finished = list.map(() => false);
  const runs = list.map((consume, i) =>
    consume(inputs[i]!).then(
      (value) => {
        finished[i] = true;
        return value;
      },
      (error: unknown) => {
        finished[i] = true;
        fail(error);
        throw error;
      },
    ),
  );
  for (const run of runs) run.catch(() => {});
  // A consumer that finished early (successfully) stops taking bytes: waiting on its drain would hang.
  const settled = runs.map((run) =>
    run.then(
      () => undefined,
      () => undefined,
    ),
  );

  try {
    while (!failure) {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next === STOP || next.done) break;
      const chunk = next.value instanceof Uint8Array ? next.value : Buffer.from(next.value as string);
      for (let i = 0; i < inputs.length && !failure; i++) {
        const input = inputs[i]!;
        if (finished[i]) continue;
        if (!input.write(chunk)) await Promise.race([once(input, 'drain'), stopped, settled[i]]);
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
