// The reference for rpm: `createrepo_c` run on the same files, in its own directory (hard links),
// timed as a child process with its peak RSS from GNU time.
import { execFile } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CreaterepoRun {
  ms: number;
  peakRssBytes: number;
}

export class CreaterepoReference {
  readonly dir = mkdtempSync(join(tmpdir(), 'pallet-bench-createrepo-'));

  static available(): boolean {
    return existsSync('/usr/bin/createrepo_c') && existsSync('/usr/bin/time');
  }

  add(paths: string[]): void {
    for (const p of paths) {
      const target = join(this.dir, basename(p));
      if (!existsSync(target)) linkSync(p, target);
    }
  }

  async run(args: string[]): Promise<CreaterepoRun> {
    const rssFile = `${this.dir}.rss`;
    const started = performance.now();
    await run('/usr/bin/time', ['-o', rssFile, '-f', '%M', 'createrepo_c', '--quiet', ...args, this.dir], {
      maxBuffer: 16 << 20,
    });
    const ms = performance.now() - started;
    return { ms, peakRssBytes: Number(readFileSync(rssFile, 'utf8').trim()) * 1024 };
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(`${this.dir}.rss`, { force: true });
  }
}
