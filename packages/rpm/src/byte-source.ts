// Pulls exact byte counts out of an AsyncIterable<Uint8Array>, keeping at most one partial chunk, so a payload
// streams through in constant memory. Written by hand: the field has no maintained JS RPM reader.

export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  private ended = false;
  /** Bytes handed out so far. */
  position = 0;

  constructor(input: AsyncIterable<Uint8Array>) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  private async pull(): Promise<Uint8Array | undefined> {
    if (this.ended) return undefined;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return undefined;
    }
    return next.value;
  }

  /** Returns `n` bytes, or fewer only when the input ends first. */
  async read(n: number): Promise<Uint8Array> {
    if (this.pending.length >= n) return this.take(n);
    const parts: Uint8Array[] = [this.pending];
    let have = this.pending.length;
    while (have < n) {
      const chunk = await this.pull();
      if (!chunk) break;
      parts.push(chunk);
      have += chunk.length;
    }
    const joined = new Uint8Array(have);
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    this.pending = joined;
    return this.take(Math.min(n, have));
  }

  private take(n: number): Uint8Array {
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    this.position += n;
    return out;
  }

  /** Passes every remaining byte to `onChunk` without keeping it; returns how many there were. */
  async drain(onChunk: (chunk: Uint8Array) => void): Promise<number> {
    let total = 0;
    let chunk: Uint8Array | undefined = this.pending.length > 0 ? this.pending : await this.pull();
    this.pending = new Uint8Array(0);
    while (chunk) {
      if (chunk.length > 0) {
        total += chunk.length;
        this.position += chunk.length;
        onChunk(chunk);
      }
      chunk = await this.pull();
    }
    return total;
  }

  /** Lets the producer release its resources when we stop early (errors). */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.();
  }
}
