// Runs the real zypper against one repository in a throwaway --root with its own cache directory; the
// .repo file goes into ROOT/etc/zypp/repos.d as zypper expects (see shared testing-clients.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRpmHome, createRpmRoot, type RunResult, runTool } from './rpm-tools';

export interface ZypperEnv {
  root: string;
  zypper(args: string[]): RunResult;
  rpm(args: string[]): RunResult;
}

/** zypper can print a refusal and still exit 0: the lines that mean it did not trust what it got. */
export function zypperRefusals(output: string): string[] {
  return output
    .split('\n')
    .filter((l) =>
      /not signed|signature verification failed|digest verification failed|abort request|unknown key|untrusted|bad gpg|problem retrieving|valid metadata not found|error|failed/i.test(
        l,
      ),
    );
}

export function createZypperEnv(
  dir: string,
  opts: { repoId: string; repoFile: string; keyFile: string },
): ZypperEnv {
  const root = join(dir, 'root');
  const cache = join(dir, 'cache');
  const home = createRpmHome(join(dir, 'home'));
  mkdirSync(cache, { recursive: true });
  createRpmRoot(root, home, opts.keyFile);
  mkdirSync(join(root, 'etc/zypp/repos.d'), { recursive: true });
  writeFileSync(join(root, 'etc/zypp/repos.d', `${opts.repoId}.repo`), opts.repoFile);
  const common = ['--root', root, '--non-interactive', '--cache-dir', cache];
  return {
    root,
    zypper: (args) => runTool('zypper', [...common, ...args], home),
    rpm: (args) => runTool('rpm', ['--root', root, ...args], home),
  };
}
