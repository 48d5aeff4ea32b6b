// The second APT reference: aptly (installed from Debian by scripts/bench.mjs) on the very .debs the
// scenario generates, in a root directory of its own: a local repo published once (`aptly publish
// repo`), then each added package `aptly repo add` + `aptly publish update`, as aptly's documentation
// describes the flow. Unsigned (-skip-signing), amd64 + arm64 + all, so its times are a lower bound.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class AptlyReference {
  readonly dir = mkdtempSync(join(tmpdir(), 'pallet-bench-aptly-'));
  private readonly incoming = join(this.dir, 'incoming');
  private readonly config = join(this.dir, 'aptly.conf');
  private published = false;

  static available(): boolean {
    return existsSync('/usr/bin/aptly');
  }

  constructor(private readonly codename: string) {
    mkdirSync(this.incoming, { recursive: true });
    writeFileSync(
      this.config,
      JSON.stringify({
        rootDir: join(this.dir, 'root'),
        architectures: ['amd64', 'arm64'],
        gpgDisableSign: true,
      }),
    );
  }

  private aptly(args: string[]) {
    return run('aptly', [`-config=${this.config}`, ...args], { maxBuffer: 64 << 20 });
  }

  private async write(debs: { name: string; bytes: Uint8Array }[]): Promise<string[]> {
    return debs.map((d, i) => {
      const file = join(this.incoming, `${d.name}-${i}.deb`);
      writeFileSync(file, d.bytes);
      return file;
    });
  }

  /** Adds packages to the local repo (no publication); wall time. */
  async add(debs: { name: string; bytes: Uint8Array }[]): Promise<number> {
    if (!existsSync(join(this.dir, 'root'))) {
      await this.aptly(['repo', 'create', `-distribution=${this.codename}`, '-component=main', 'bench']);
    }
    await this.write(debs);
    const started = performance.now();
    await this.aptly(['repo', 'add', '-remove-files', 'bench', this.incoming]);
    return performance.now() - started;
  }

  /** The full publication of the repo as it stands (`publish repo`, or `publish update`); wall time. */
  async publish(): Promise<number> {
    const started = performance.now();
    if (!this.published) {
      await this.aptly(['publish', 'repo', '-skip-signing', '-architectures=amd64,arm64,all', 'bench']);
      this.published = true;
    } else {
      await this.aptly(['publish', 'update', '-skip-signing', this.codename]);
    }
    return performance.now() - started;
  }

  /** One more package: `repo add` + `publish update`, the way a CI job adds a build; wall time. */
  async addOne(deb: { name: string; bytes: Uint8Array }): Promise<number> {
    return (await this.add([deb])) + (await this.publish());
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
