// Upload progress: a bar redrawn in place on a terminal, plain start/end lines in CI logs (no carriage
// returns to garble them). Everything goes to stderr so that stdout stays clean for --json.
export interface Progress {
  start(label: string, total: number): void;
  advance(bytes: number): void;
  finish(line: string): void;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const BAR = 24;

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let lastDraw = 0;
  if (!stream.isTTY) {
    return {
      start(l, t) {
        label = l;
        stream.write(`uploading ${l} (${formatBytes(t)})\n`);
      },
      advance() {},
      finish(line) {
        stream.write(`${line || `uploaded ${label}`}\n`);
      },
    };
  }
  const draw = () => {
    const share = total ? done / total : 1;
    const filled = Math.round(share * BAR);
    const text = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(share * 100)}% ${formatBytes(done)}/${formatBytes(total)}`;
    stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 80) - 1)}`);
  };
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      draw();
    },
    advance(bytes) {
      done += bytes;
      const now = Date.now();
      if (now - lastDraw > 80 || done >= total) {
        lastDraw = now;
        draw();
      }
    },
    finish(line) {
      stream.write(`\r\x1b[2K${line}\n`);
    },
  };
}

/** For --json and --quiet: nothing on stderr. */
export const silentProgress: Progress = { start() {}, advance() {}, finish() {} };
