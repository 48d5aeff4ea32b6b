// Pull-style reader over an AsyncIterable of byte chunks: read exact lengths, or pass a length
// through chunk by chunk, holding at most one input chunk in memory.

export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private ended = false;
  /** Bytes consumed so far. */
  position = 0;
  /** The error the input itself threw (an I/O failure, not a format problem), if any. */
  sourceError: unknown;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Ensures unread bytes are buffered; false at the end of the input. */
  private async fill(): Promise<boolean> {
    while (this.offset >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.nextFromSource();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.chunk = next.value;
      this.offset = 0;
    }
    return true;
  }

  private async nextFromSource(): Promise<IteratorResult<Uint8Array>> {
    try {
      const next = await this.iterator.next();
      if (!next.done && !(next.value instanceof Uint8Array)) {
        throw new TypeError('parseDeb input must yield Uint8Array chunks');
      }
      return next;
    } catch (error) {
      this.sourceError = error;
      this.ended = true;
      throw error;
    }
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Passes up to `length` bytes to `onChunk` piece by piece; returns how many there were. */
  async forEach(length: number, onChunk: (bytes: Uint8Array) => void): Promise<number> {
    let done = 0;
    while (done < length && (await this.fill())) {
      const take = Math.min(length - done, this.chunk.length - this.offset);
      onChunk(this.chunk.subarray(this.offset, this.offset + take));
      this.offset += take;
      done += take;
      this.position += take;
    }
    return done;
  }

  /** Yields up to `length` bytes as they arrive, one input chunk (or part of one) at a time. */
  async *chunks(length: number): AsyncGenerator<Uint8Array> {
    let done = 0;
    while (done < length && (await this.fill())) {
      const take = Math.min(length - done, this.chunk.length - this.offset);
      const bytes = this.chunk.subarray(this.offset, this.offset + take);
      this.offset += take;
      done += take;
      this.position += take;
      yield bytes;
    }
  }

  /** Reads up to `length` bytes into one array; shorter only at the end of the input. */
  async read(length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let filled = 0;
    const got = await this.forEach(length, (bytes) => {
      out.set(bytes, filled);
      filled += bytes.length;
    });
    return got === length ? out : out.subarray(0, got);
  }

  /** Closes the input early (after an error), so a stream source is released. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.iterator.return?.();
    }
  }
}
