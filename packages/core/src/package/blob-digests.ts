// The four digests a Blob records (SHA-256 and SHA-512 for the indexes, SHA-1 and MD5 for Release's
// older fields and rpm's checksums), computed as the bytes stream past. A small body is hashed on the
// calling thread once it has ended. A body past INLINE_BYTES keeps SHA-256 (hardware-assisted on current
// CPUs: ~0.6 s of CPU a GiB here) on the calling thread and hands MD5, SHA-512 and SHA-1 (~3.3 s a GiB)
// to a worker thread, so they run beside the body's parsing and writing instead of after them: the calling
// thread also receives, parses and writes the body, and it is the one that bounds a large upload.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface Digests {
  sha256: string;
  sha512: string;
  sha1: string;
  md5: string;
}

type Algorithm = keyof Digests;

const ALGORITHMS: Algorithm[] = ['sha256', 'sha512', 'sha1', 'md5'];
/** Bodies up to this size are hashed here: handing them to the thread costs more than it saves. */
export const INLINE_BYTES = 1 << 20;
/** Bytes go to the thread in shared blocks of this size (copied once, not cloned by postMessage). */
const BLOCK_BYTES = 1 << 20;
/** Shared blocks per body: the bytes it may have waiting for the thread. */
const RING_BLOCKS = 4;
/** The digests left to the calling thread, and those the worker thread computes. */
const INLINE_ALGORITHMS: Algorithm[] = ['sha256'];
const THREAD_ALGORITHMS: Algorithm[] = ['md5', 'sha512', 'sha1'];

// Runs as a plain script (`eval`), so bundlers that move the calling module cannot lose the file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const jobs = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'start') jobs.set(m.id, m.algorithms.map((a) => createHash(a)));
  else if (m.op === 'data') {
    const hashes = jobs.get(m.id);
    if (hashes) for (const h of hashes) h.update(m.block);
    parentPort.postMessage({ op: 'ack', id: m.id });
  } else if (m.op === 'end') {
    const hashes = jobs.get(m.id);
    jobs.delete(m.id);
    if (hashes) parentPort.postMessage({ op: 'digests', id: m.id, hex: hashes.map((h) => h.digest('hex')) });
  } else if (m.op === 'abort') jobs.delete(m.id);
});
`;

type WorkerMessage = { op: 'ack'; id: number } | { op: 'digests'; id: number; hex: string[] };

interface Job {
  onAck(): void;
  onDigests(hex: string[]): void;
  onFailure(error: Error): void;
}

/** One hashing thread, shared by every large body of the process; it holds the process only while busy. */
class DigestThread {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private readonly jobs = new Map<number, Job>();
  failed: Error | null = null;

  constructor(onGone: () => void) {
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.op === 'ack') job.onAck();
      else {
        this.forget(m.id);
        job.onDigests(m.hex);
      }
    });
    const fail = (error: Error) => {
      this.failed ??= error;
      onGone();
      for (const job of this.jobs.values()) job.onFailure(this.failed);
      this.jobs.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the digest thread exited (${code})`)));
  }

  start(id: number, algorithms: Algorithm[], job: Job): void {
    if (this.failed) throw this.failed;
    if (this.jobs.size === 0) this.worker.ref();
    this.jobs.set(id, job);
    this.worker.postMessage({ op: 'start', id, algorithms });
  }

  send(message: { op: 'data'; id: number; block: Uint8Array } | { op: 'end' | 'abort'; id: number }): void {
    if (message.op === 'abort') this.forget(message.id);
    if (!this.failed) this.worker.postMessage(message);
  }

  private forget(id: number): void {
    if (this.jobs.delete(id) && this.jobs.size === 0) this.worker.unref();
  }
}

let thread: DigestThread | null = null;
let nextJobId = 1;

function digestThread(): DigestThread {
  if (!thread) {
    // A thread that dies is replaced for the next body; the bodies it was hashing fail.
    const made: DigestThread = new DigestThread(() => {
      if (thread === made) thread = null;
    });
    thread = made;
  }
  return thread;
}

/**
 * Hashes one large body: SHA-256 and SHA-1 here, MD5 and SHA-512 on the digest thread. Bytes are copied
 * once into a ring of shared blocks; a block is refilled only once the thread has hashed it, so a body
 * holds at most RING_BLOCKS blocks and a caller filling faster than the thread hashes waits.
 */
class ThreadedDigests {
  private readonly id = nextJobId++;
  private readonly thread = digestThread();
  private readonly inline = INLINE_ALGORITHMS.map((a) => createHash(a));
  private readonly ring = Array.from(
    { length: RING_BLOCKS },
    () => new Uint8Array(new SharedArrayBuffer(BLOCK_BYTES)),
  );
  /** blocks sent to the thread, and hashed by it */
  private sent = 0;
  private acked = 0;
  private filled = 0;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly result: Promise<string[]>;

  constructor() {
    this.result = new Promise<string[]>((resolve, reject) => {
      this.thread.start(this.id, THREAD_ALGORITHMS, {
        onAck: () => {
          this.acked++;
          this.wakeUp();
        },
        onDigests: resolve,
        onFailure: (error) => {
          this.failure ??= error;
          this.wakeUp();
          reject(error);
        },
      });
    });
    this.result.catch(() => {});
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves once the bytes are hashed here and in a block (a pending wait is the caller's backpressure). */
  async update(chunk: Uint8Array): Promise<void> {
    for (const h of this.inline) h.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const block = this.ring[this.sent % RING_BLOCKS]!;
      const take = Math.min(chunk.length - offset, BLOCK_BYTES - this.filled);
      block.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === BLOCK_BYTES) await this.flush();
    }
  }

  /** Sends the block being filled, then waits until the next one in the ring has been hashed. */
  private async flush(): Promise<void> {
    if (this.filled > 0) {
      const block = this.ring[this.sent % RING_BLOCKS]!.subarray(0, this.filled);
      this.thread.send({ op: 'data', id: this.id, block });
      this.sent++;
      this.filled = 0;
    }
    while (!this.failure && this.sent - this.acked > RING_BLOCKS - 1) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.failure) throw this.failure;
  }

  async digest(): Promise<Digests> {
    await this.flush();
    this.thread.send({ op: 'end', id: this.id });
    const hex = await this.result;
    const out = {} as Digests;
    INLINE_ALGORITHMS.forEach((a, i) => {
      out[a] = this.inline[i]!.digest('hex');
    });
    THREAD_ALGORITHMS.forEach((a, i) => {
      out[a] = hex[i]!;
    });
    return out;
  }

  abort(): void {
    this.thread.send({ op: 'abort', id: this.id });
  }
}

/**
 * Digests of a body fed chunk by chunk. `update` may return a promise: wait for it before the next
 * chunk (the thread is behind). Call `abort` when the body is abandoned before `digest`.
 */
export class BlobDigester {
  /** chunks of a body not yet known to be large (hashed inline at the end if it stays small) */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private threaded: ThreadedDigests | null = null;
  /** without the thread (PALLET_DIGEST_THREAD=off): all four digests here, chunk by chunk */
  private readonly streaming: ReturnType<typeof createHash>[] | null;

  /**
   * `thread: false` keeps every digest on the calling thread: no worker isolate and ring (~15-20 MiB of
   * RSS during a large upload), at the cost of hashing MD5 and SHA-512 in line with parsing and writing.
   */
  constructor(opts: { thread?: boolean } = {}) {
    this.streaming = opts.thread === false ? ALGORITHMS.map((a) => createHash(a)) : null;
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.streaming) {
      for (const h of this.streaming) h.update(chunk);
      return undefined;
    }
    if (this.threaded) return this.threaded.update(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes <= INLINE_BYTES) return undefined;
    this.threaded = new ThreadedDigests();
    const held = this.held;
    this.held = [];
    return (async () => {
      for (const c of held) await this.threaded!.update(c);
    })();
  }

  async digest(): Promise<Digests> {
    if (this.threaded) return this.threaded.digest();
    const hashes = this.streaming ?? ALGORITHMS.map((a) => createHash(a));
    for (const chunk of this.held) for (const h of hashes) h.update(chunk);
    this.held = [];
    const [sha256, sha512, sha1, md5] = hashes.map((h) => h.digest('hex')) as [
      string,
      string,
      string,
      string,
    ];
    return { sha256, sha512, sha1, md5 };
  }

  abort(): void {
    this.held = [];
    this.threaded?.abort();
  }
}
