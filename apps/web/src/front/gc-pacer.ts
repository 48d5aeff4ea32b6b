// Keeps the front's memory flat while it streams uploads. V8 frees a Buffer's memory only once a
// collection finds its wrapper dead, and wrappers that live a little while (an S3 part is held for the
// seconds its request takes) are promoted to the old generation, which V8 collects only after memory
// outside its heap grew by 64 MiB: an upload's peak would be its working set plus up to 64 MiB of dead
// buffers. While uploads are in flight, this asks for a full collection whenever buffer memory grew by
// STEP_BYTES since the last one (a few milliseconds for the front's small heap). Needs `--expose-gc`
// (the web process's node flags, scripts/lib/supervise.mjs); without it, it does nothing.

const STEP_BYTES = 16 * 1024 * 1024;
const CHECK_MS = 100;

type Gc = () => void;

export class GcPacer {
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private floor = 0;
  private readonly gc: Gc | undefined;
  collections = 0;

  constructor(gc: unknown = (globalThis as { gc?: unknown }).gc) {
    this.gc = typeof gc === 'function' ? (gc as Gc) : undefined;
  }

  /** Paces collections until the returned function is called (once per upload). */
  hold(): () => void {
    if (!this.gc) return () => {};
    if (this.active++ === 0) {
      this.floor = process.memoryUsage().arrayBuffers;
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

  private check(): void {
    if (process.memoryUsage().arrayBuffers - this.floor < STEP_BYTES) return;
    this.gc?.();
    this.collections++;
    this.floor = process.memoryUsage().arrayBuffers;
  }
}
