// Runs the real dnf against one repository in a throwaway --installroot with its own configuration,
// reposdir and cache (see shared testing-clients.md); nothing of the host's dnf setup is read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRpmHome, createRpmRoot, type RunResult, runTool, runToolAsyncIn } from './rpm-tools';

export interface DnfEnv {
  root: string;
  dnf(args: string[]): RunResult;
  dnfAsync(args: string[]): Promise<RunResult>;
  rpm(args: string[]): RunResult;
}

export function createDnfEnv(
  dir: string,
  opts: { repoId: string; repoFile: string; keyFile: string; releasever: string },
): DnfEnv {
  const root = join(dir, 'root');
  const reposdir = join(dir, 'repos.d');
  const cachedir = join(dir, 'cache');
  const home = createRpmHome(join(dir, 'home'));
  for (const d of [reposdir, cachedir]) mkdirSync(d, { recursive: true });
  createRpmRoot(root, home, opts.keyFile);
  writeFileSync(join(reposdir, `${opts.repoId}.repo`), opts.repoFile);
  const conf = join(dir, 'dnf.conf');
  writeFileSync(
    conf,
    [
      '[main]',
      'gpgcheck=1',
      'plugins=0',
      'install_weak_deps=0',
      'skip_if_unavailable=0',
      'keepcache=0',
      '',
    ].join('\n'),
  );
  const common = [
    `--installroot=${root}`,
    `--config=${conf}`,
    `--setopt=reposdir=${reposdir}`,
    `--setopt=cachedir=${cachedir}`,
    `--releasever=${opts.releasever}`,
    '--disablerepo=*',
    `--enablerepo=${opts.repoId}`,
    '--assumeyes',
  ];
  return {
    root,
    dnf: (args) => runTool('dnf', [...common, ...args], home),
    dnfAsync: (args) => runToolAsyncIn('dnf', [...common, ...args], home),
    rpm: (args) => runTool('rpm', ['--root', root, ...args], home),
  };
}
