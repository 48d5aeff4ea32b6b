// Walks the frame and block headers of a zstd buffer without decoding it, so a hostile header
// (huge window or content size, which fzstd would allocate up front) is refused beforehand.

export type ZstdFrameProblem = 'invalid' | 'truncated' | 'too_large';

const ZSTD_MAGIC = 0xfd2fb528;

function readLE(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let index = length - 1; index >= 0; index--) value = value * 256 + (bytes[offset + index] ?? 0);
  return value;
}

/** Checks every frame of `bytes`; returns what is wrong, or undefined when all frames fit `limit`. */
export function checkZstdFrames(
  bytes: Uint8Array,
  limit: number,
  windowLimit: number,
): ZstdFrameProblem | undefined {
  let pos = 0;
  if (bytes.length === 0) return 'truncated';
  while (pos < bytes.length) {
    if (bytes.length - pos < 8) return 'truncated';
    const magic = readLE(bytes, pos, 4);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) {
      pos += 8 + readLE(bytes, pos + 4, 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return 'invalid';
    const descriptor = bytes[pos + 4] ?? 0;
    const singleSegment = (descriptor >> 5) & 1;
    let p = pos + 5;
    let windowSize = 0;
    if (!singleSegment) {
      const windowByte = bytes[p++] ?? 0;
      const base = 2 ** (10 + (windowByte >> 3));
      windowSize = base + (base / 8) * (windowByte & 7);
    }
    p += [0, 1, 2, 4][descriptor & 3] ?? 0;
    const contentSizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6] ?? 0;
    const contentSize = readLE(bytes, p, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
    p += contentSizeBytes;
    if (singleSegment) windowSize = contentSize;
    if (windowSize > windowLimit || (contentSizeBytes > 0 && contentSize > limit)) return 'too_large';
    for (;;) {
      if (p + 3 > bytes.length) return 'truncated';
      const header = readLE(bytes, p, 3);
      const type = (header >> 1) & 3;
      if (type === 3) return 'invalid';
      p += 3 + (type === 1 ? 1 : header >>> 3);
      if (header & 1) break;
    }
    if ((descriptor >> 2) & 1) p += 4;
    if (p > bytes.length) return 'truncated';
    pos = p;
  }
  return pos > bytes.length ? 'truncated' : undefined;
}

/** zstd's largest block (Block_Maximum_Size); a bigger block header is invalid. */
const MAX_BLOCK_SIZE = 128 * 1024;

/** Where a zstd frame ended inside the chunk last pushed, and its content checksum if it has one. */
export interface ZstdFrameEnd {
  end: number;
  /** The low 32 bits of the XXH64 of the frame's content, when the frame carries a checksum. */
  checksum: number | undefined;
}

/**
 * The same walk as checkZstdFrames over a stream, chunk by chunk, holding at most one frame
 * header: used for data.tar.zst, which is checked while it streams and never buffered.
 * `push` returns the first problem found; after a problem the guard must not be used again.
 * After each push, `takeFrameEnds` tells where frames ended, so their checksums can be checked
 * (fzstd does not check them).
 */
export class ZstdFrameGuard {
  private readonly pending: number[] = [];
  private frameEnds: ZstdFrameEnd[] = [];
  private cursor = 0;
  private need = 4;
  private skip = 0;
  private onBytes: (bytes: Uint8Array) => ZstdFrameProblem | undefined = (b) => this.readMagic(b);
  private afterSkip: (() => void) | undefined;
  private frames = 0;
  private checksumFlag = false;
  private outputCuts: number[] = [];
  private mostSinceCut = 0;

  /**
   * `cutEvery`: where blocks whose content may reach that many bytes have ended since the last cut,
   * the position is reported by takeOutputCuts, so a decoder fed up to there never emits more at once
   * (4 bytes of RLE block make 128 KiB: one 64 KiB chunk of them is 2 GiB).
   */
  constructor(
    private readonly windowLimit: number,
    private readonly cutEvery = Number.POSITIVE_INFINITY,
  ) {}

  push(bytes: Uint8Array): ZstdFrameProblem | undefined {
    let index = 0;
    while (index < bytes.length) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, bytes.length - index);
        this.skip -= take;
        index += take;
        this.cursor = index;
        if (this.skip === 0) this.afterSkip?.();
        continue;
      }
      const take = Math.min(this.need - this.pending.length, bytes.length - index);
      for (let offset = 0; offset < take; offset++) this.pending.push(bytes[index + offset] as number);
      index += take;
      if (this.pending.length === this.need) {
        const field = Uint8Array.from(this.pending);
        this.pending.length = 0;
        this.cursor = index;
        const problem = this.onBytes(field);
        if (problem) return problem;
      }
    }
    return undefined;
  }

  /** The frames that ended in the chunks pushed since the last call, in order. */
  takeFrameEnds(): ZstdFrameEnd[] {
    const ends = this.frameEnds;
    this.frameEnds = [];
    return ends;
  }

  /** Block ends inside the chunks pushed since the last call where output may reach `cutEvery`. */
  takeOutputCuts(): number[] {
    const cuts = this.outputCuts;
    this.outputCuts = [];
    return cuts;
  }

  /** Call at the end of the stream: it must end after a complete frame. */
  end(): ZstdFrameProblem | undefined {
    const atFrameStart = this.onBytes === this.readMagicBound && this.need === 4;
    if (this.frames === 0 || this.skip > 0 || this.pending.length > 0 || !atFrameStart) return 'truncated';
    return undefined;
  }

  private readonly readMagicBound = (bytes: Uint8Array) => this.readMagic(bytes);

  private expect(length: number, handler: (bytes: Uint8Array) => ZstdFrameProblem | undefined): undefined {
    this.need = length;
    this.onBytes = handler;
    return undefined;
  }

  private skipThen(length: number, next: () => void): undefined {
    this.skip = length;
    this.afterSkip = next;
    if (length === 0) next();
    return undefined;
  }

  private toFrameStart(): void {
    this.expect(4, this.readMagicBound);
  }

  private readMagic(bytes: Uint8Array): ZstdFrameProblem | undefined {
    const magic = readLE(bytes, 0, 4);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) {
      return this.expect(4, (size) => this.skipThen(readLE(size, 0, 4), () => this.toFrameStart()));
    }
    if (magic !== ZSTD_MAGIC) return 'invalid';
    return this.expect(1, (descriptor) => this.readDescriptor(descriptor[0] ?? 0));
  }

  private readDescriptor(descriptor: number): ZstdFrameProblem | undefined {
    if (descriptor & 0x08) return 'invalid'; // reserved bit
    const singleSegment = (descriptor >> 5) & 1;
    const dictBytes = [0, 1, 2, 4][descriptor & 3] ?? 0;
    const contentSizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6] ?? 0;
    this.checksumFlag = ((descriptor >> 2) & 1) === 1;
    const rest = (singleSegment ? 0 : 1) + dictBytes + contentSizeBytes;
    const check = (header: Uint8Array): ZstdFrameProblem | undefined => {
      let windowSize = 0;
      if (!singleSegment) {
        const windowByte = header[0] ?? 0;
        const base = 2 ** (10 + (windowByte >> 3));
        windowSize = base + (base / 8) * (windowByte & 7);
      }
      const at = (singleSegment ? 0 : 1) + dictBytes;
      const contentSize = readLE(header, at, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
      if (singleSegment) windowSize = contentSize;
      if (windowSize > this.windowLimit) return 'too_large';
      this.frames++;
      return this.expect(3, (block) => this.readBlockHeader(block));
    };
    if (rest === 0) return check(new Uint8Array(0));
    return this.expect(rest, check);
  }

  private readBlockHeader(bytes: Uint8Array): ZstdFrameProblem | undefined {
    const header = readLE(bytes, 0, 3);
    const type = (header >> 1) & 3;
    if (type === 3) return 'invalid';
    const size = header >>> 3;
    if (size > MAX_BLOCK_SIZE) return 'invalid';
    const last = (header & 1) === 1;
    // A raw or RLE block regenerates `size` bytes; a compressed one at most Block_Maximum_Size.
    const most = type === 2 ? MAX_BLOCK_SIZE : size;
    return this.skipThen(type === 1 ? 1 : size, () => {
      this.mostSinceCut += most;
      if (!last && this.mostSinceCut >= this.cutEvery) {
        this.outputCuts.push(this.cursor);
        this.mostSinceCut = 0;
      }
      if (!last) this.expect(3, (block) => this.readBlockHeader(block));
      else if (this.checksumFlag) this.expect(4, (sum) => this.endFrame(readLE(sum, 0, 4)));
      else this.endFrame(undefined);
    });
  }

  private endFrame(checksum: number | undefined): undefined {
    this.frameEnds.push({ end: this.cursor, checksum });
    this.mostSinceCut = 0;
    this.toFrameStart();
    return undefined;
  }
}
