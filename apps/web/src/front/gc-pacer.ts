// Keeps the front's memory flat while it streams uploads. V8 frees a Buffer's memory only once a
// collection finds its wrapper dead. Most upload chunks die young, and a young-generation collection (a
// scavenge: well under a millisecond for the front's small young generation) frees them; wrappers that live
// a little while (an S3 part is held for the seconds its request takes, the chunks it was assembled from
// until then) are promoted to the old generation, which V8 collects only after memory outside its heap
// grew by 64 MiB: an upload's peak would be its working set plus up to 64 MiB of dead buffers.
// While uploads are in flight, this asks for a young-generation collection whenever buffer memory grew by
// STEP_BYTES since the last collection, and for a full one (tens of milliseconds: the whole heap is marked)
// only when buffer memory still stands STEP_BYTES above what the last full collection left, i.e. when dead
// buffers sit in the old generation. A filesystem upload then costs a few full collections instead of one
// per STEP_BYTES. When the bytes stop (the body is in and storage is completing the object, or the client
// paused) with dead buffers still counted, one full collection frees them before the request's database
// work (Prisma's query compiler, at the front's first query) allocates on top of them. Needs `--expose-gc` (the web process's node flags, scripts/lib/supervise.mjs); without
// it, it does nothing.
const STEP_BYTES = 16 * 1024 * 1024;
const CHECK_MS = 100;
/** Buffer memory growth below this between two checks counts as the bytes having stopped. */
const STALL_BYTES = 64 * 1024;
/** Buffer memory above the uploads' start that is worth a full collection when the bytes stopped. */
const SETTLE_BYTES = 4 * 1024 * 1024;
/** At most one such collection a second (a client sending in bursts stops and starts again and again). */
const SETTLE_EVERY_MS = 1000;

/** V8's `gc` with `--expose-gc`: no argument for a full collection, `{ type: 'minor' }` for a scavenge. */
type Gc = (options?: { type: 'minor' | 'major' }) => void;

/** Bytes held by array buffers (Buffers' contents). (V8's own external-memory count is updated lazily.) */
const bufferBytes = () => process.memoryUsage().arrayBuffers;

export class GcPacer {
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  /** buffer bytes right after the last collection of either kind, and after the last full one */
  private floor = 0;
  private fullFloor = 0;
  /** buffer bytes at the previous check, and when the uploads began */
  private last = 0;
  private base = 0;
  /** a full collection was made in the current stop; when the last one was */
  private settled = false;
  private settledAt = Number.NEGATIVE_INFINITY;
  private readonly gc: Gc | undefined;
  minorCollections = 0;
  fullCollections = 0;

  constructor(
    gc: unknown = (globalThis as { gc?: unknown }).gc,
    private readonly buffers: () => number = bufferBytes,
  ) {
    this.gc = typeof gc === 'function' ? (gc as Gc) : undefined;
  }

  /** Paces collections until the returned function is called (once per upload). */
  hold(): () => void {
    if (!this.gc) return () => {};
    if (this.active++ === 0) {
      this.floor = this.fullFloor = this.last = this.base = this.buffers();
      this.settled = false;
      this.timer = setInterval(() => this.check(), CHECK_MS);
      this.timer.unref();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.active === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** One pacing step (the timer's; public for tests). */
  check(): void {
    if (!this.gc) return;
    const now = this.buffers();
    const stalled = now - this.last < STALL_BYTES;
    this.last = now;
    if (!stalled) this.settled = false;
    if (now - this.floor < STEP_BYTES) {
      // What the last full collection left may have been live then (S3 parts in flight): compare with the start.
      if (stalled && !this.settled && now - this.base >= SETTLE_BYTES) {
        const at = performance.now();
        if (at - this.settledAt < SETTLE_EVERY_MS) return;
        this.settled = true;
        this.settledAt = at;
        this.collectAll();
      }
      return;
    }
    this.gc({ type: 'minor' });
    this.minorCollections++;
    this.floor = this.last = this.buffers();
    if (this.floor - this.fullFloor >= STEP_BYTES) this.collectAll();
  }

  private collectAll(): void {
    this.gc?.();
    this.fullCollections++;
    this.floor = this.fullFloor = this.last = this.buffers();
  }
}
