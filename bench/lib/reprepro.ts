// The reference for APT: reprepro (installed from Debian by scripts/bench.mjs) on the very .debs the
// scenario generates, in a repository of its own with the same layout (one suite, main, amd64 and
// arm64, plain + .gz indexes). It does not sign (no SignWith), so its times are a lower bound.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class RepreproReference {
  readonly dir = mkdtempSync(join(tmpdir(), 'pallet-bench-reprepro-'));
  private readonly incoming = join(this.dir, 'incoming');

  static available(): boolean {
    return existsSync('/usr/bin/reprepro');
  }

  constructor(private readonly codename: string) {
    mkdirSync(join(this.dir, 'conf'), { recursive: true });
    mkdirSync(this.incoming, { recursive: true });
    writeFileSync(
      join(this.dir, 'conf/distributions'),
      [`Codename: ${codename}`, 'Architectures: amd64 arm64', 'Components: main', ''].join('\n'),
    );
  }

  /** Writes the packages and runs `reprepro includedeb` on them; returns its wall time. */
  async include(debs: { name: string; bytes: Uint8Array }[]): Promise<number> {
    const files = debs.map((d, i) => {
      const file = join(this.incoming, `${d.name}-${i}.deb`);
      writeFileSync(file, d.bytes);
      return file;
    });
    const started = performance.now();
    // Batches keep the argument list short; reprepro exports the indexes once per run.
    for (let i = 0; i < files.length; i += 2000) {
      await run(
        'reprepro',
        ['-b', this.dir, '--silent', 'includedeb', this.codename, ...files.slice(i, i + 2000)],
        {
          maxBuffer: 16 << 20,
        },
      );
    }
    const ms = performance.now() - started;
    for (const f of files) rmSync(f);
    return ms;
  }

  /** `reprepro export`: every index of the suite written anew (its full publication); wall time. */
  async exportAll(): Promise<number> {
    const started = performance.now();
    await run('reprepro', ['-b', this.dir, '--silent', 'export', this.codename], { maxBuffer: 16 << 20 });
    return performance.now() - started;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
