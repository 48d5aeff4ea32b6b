// Runs the real apt-get/apt-cache against a repository without touching the host's configuration
// (see shared testing-clients.md): every Dir:: points into a temp directory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunResult, runToolAsync } from './rpm-tools';

export interface AptEnv {
  dir: string;
  run(tool: 'apt-get' | 'apt-cache', args: string[]): { code: number; output: string };
  runAsync(tool: 'apt-get' | 'apt-cache', args: string[]): Promise<RunResult>;
  setSources(line: string): void;
  setAuth(text: string): void;
}

/** `architecture`: the machine apt pretends to be (default amd64), for foreign-architecture checks. */
export function createAptEnv(dir: string, opts: { architecture?: string } = {}): AptEnv {
  const arch = opts.architecture ?? 'amd64';
  for (const d of [
    'etc/apt.conf.d',
    'etc/sources.list.d',
    'etc/auth.conf.d',
    'etc/preferences.d',
    'etc/trusted.gpg.d',
    'state/lists/partial',
    'cache/archives/partial',
    'log',
    'download',
  ]) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  writeFileSync(join(dir, 'state/status'), '');
  const conf = join(dir, 'apt.conf');
  writeFileSync(
    conf,
    [
      `Dir::Etc "${dir}/etc";`,
      `Dir::Etc::sourcelist "${dir}/etc/sources.list";`,
      `Dir::Etc::sourceparts "${dir}/etc/sources.list.d";`,
      `Dir::Etc::trusted "${dir}/etc/trusted.gpg";`,
      `Dir::Etc::trustedparts "${dir}/etc/trusted.gpg.d";`,
      `Dir::Etc::preferences "${dir}/etc/preferences";`,
      `Dir::Etc::preferencesparts "${dir}/etc/preferences.d";`,
      `Dir::Etc::netrc "${dir}/etc/auth.conf";`,
      `Dir::Etc::netrcparts "${dir}/etc/auth.conf.d";`,
      `Dir::State "${dir}/state";`,
      `Dir::State::lists "${dir}/state/lists";`,
      `Dir::State::status "${dir}/state/status";`,
      `Dir::Cache "${dir}/cache";`,
      `Dir::Log "${dir}/log";`,
      'APT::Sandbox::User "root";',
      'Debug::NoLocking "true";',
      'Acquire::Languages "none";',
      `APT::Architectures { "${arch}"; };`,
      `APT::Architecture "${arch}";`,
      'Acquire::Retries "0";',
      '',
    ].join('\n'),
  );
  return {
    dir,
    run(tool, args) {
      const r = spawnSync(tool, args, {
        cwd: join(dir, 'download'),
        env: { ...process.env, APT_CONFIG: conf, LC_ALL: 'C' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { code: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
    },
    runAsync(tool, args) {
      return runToolAsync(
        tool,
        args,
        { ...process.env, APT_CONFIG: conf, LC_ALL: 'C' },
        { cwd: join(dir, 'download') },
      );
    },
    setSources(line) {
      writeFileSync(join(dir, 'etc/sources.list'), `${line}\n`);
    },
    setAuth(text) {
      writeFileSync(join(dir, 'etc/auth.conf.d/pallet.conf'), text, { mode: 0o600 });
    },
  };
}

/** A clean `apt-get update` prints no W:, E: or Err: line. */
export function problems(output: string): string[] {
  return output.split('\n').filter((l) => /^(W|E|Err):/.test(l.trim()));
}
