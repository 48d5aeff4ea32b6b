// Feeds one byte stream to several consumers at once (storage and a parser, say) in constant memory.
// Every path settles: the first failure — of the source or of any consumer — stops reading the source
// at once (even mid-wait), fails every consumer's input with that error, and is thrown once all
// consumers have settled, so nothing keeps running behind a rejected upload.
// Each consumer reads from a ChunkChannel: a bounded queue that hands a chunk to a waiting reader
// directly. (A node PassThrough per consumer did the same through the Writable/Transform/Readable
// machinery, a few microseconds and several allocations per chunk and consumer: about a second of CPU and
// garbage per GiB uploaded.)

type Consumer<R> = (input: AsyncIterable<Uint8Array>) => Promise<R>;

const STOP = Symbol('stop');
/** Bytes a consumer may have waiting before the source is paused for it. */
const WINDOW_BYTES = 1 << 20;

type Reader = {
  resolve: (result: IteratorResult<Uint8Array>) => void;
  reject: (error: unknown) => void;
};

/** One consumer's input: a bounded queue of chunks with a single reader and a single writer. */
class ChunkChannel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  /** the reader stopped (returned early): what is written from now on is dropped */
  private closed = false;
  private failure: { error: unknown } | null = null;
  private reader: Reader | null = null;
  private writer: (() => void) | null = null;

  /** Queues a chunk (or hands it to the waiting reader); false when the window is full: await room(). */
  write(chunk: Uint8Array): boolean {
    if (this.closed || this.failure) return true;
    const reader = this.reader;
    if (reader) {
      this.reader = null;
      reader.resolve({ done: false, value: chunk });
      return true;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    return this.queued < WINDOW_BYTES;
  }

  /** Resolves once the window has room again, or the channel no longer takes bytes. */
  room(): Promise<void> {
    if (this.queued < WINDOW_BYTES || this.closed || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      this.writer = resolve;
    });
  }

  end(): void {
    this.ended = true;
    this.settleReader();
  }

  /** The reader will not read any more (it finished or returned early): drop the queue, free the writer. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
    this.settleReader();
    this.wakeWriter();
  }

  /** Fails the pending and every later read with `error`. */
  fail(error: unknown): void {
    if (this.failure || this.closed) return;
    this.failure = { error };
    this.queue.length = 0;
    this.queued = 0;
    this.settleReader();
    this.wakeWriter();
  }

  private settleReader(): void {
    const reader = this.reader;
    if (!reader) return;
    this.reader = null;
    if (this.failure) reader.reject(this.failure.error);
    else reader.resolve({ done: true, value: undefined });
  }

  private wakeWriter(): void {
    const writer = this.writer;
    this.writer = null;
    writer?.();
  }

  private next(): Promise<IteratorResult<Uint8Array>> {
    if (this.failure) return Promise.reject(this.failure.error);
    const chunk = this.queue.shift();
    if (chunk) {
      this.queued -= chunk.length;
      if (this.queued < WINDOW_BYTES) this.wakeWriter();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.ended || this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.next(),
      return: async () => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }
}

export async function fanOut<R extends unknown[]>(
  source: AsyncIterable<Uint8Array>,
  consumers: { [K in keyof R]: Consumer<R[K]> },
): Promise<R> {
  const list = consumers as unknown as Consumer<unknown>[];
  const inputs = list.map(() => new ChunkChannel());
  let failure: { error: unknown } | null = null;
  /** Ends the wait for the source's next chunk when something fails meanwhile. */
  let stopWaiting: (() => void) | null = null;
  const fail = (error: unknown) => {
    if (failure) return;
    failure = { error };
    stopWaiting?.();
    // Not awaited: a source blocked in next() finishes its return() only once its owner destroys it.
    Promise.resolve(iterator.return?.()).catch(() => {});
    for (const input of inputs) input.fail(error);
  };
  const iterator = source[Symbol.asyncIterator]();
  const finished = list.map(() => false);
  const runs = list.map((consume, i) =>
    consume(inputs[i]!).then(
      (value) => {
        finished[i] = true;
        // A consumer done early takes no more bytes (and must not hold the source back).
        inputs[i]!.close();
        return value;
      },
      (error: unknown) => {
        finished[i] = true;
        inputs[i]!.close();
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
      stopWaiting = () => resolve(STOP);
      iterator.next().then(
        (next) => {
          stopWaiting = null;
          resolve(next);
        },
        (error: unknown) => {
          stopWaiting = null;
          reject(error);
        },
      );
    });

  try {
    while (!failure) {
      const next = await nextOrStop();
      if (next === STOP || next.done) break;
      const chunk = next.value instanceof Uint8Array ? next.value : Buffer.from(next.value as string);
      for (let i = 0; i < inputs.length && !failure; i++) {
        if (finished[i]) continue;
        const input = inputs[i]!;
        if (!input.write(chunk)) await input.room();
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
