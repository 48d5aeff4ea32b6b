// Shared pieces for driving rpm, dnf and zypper hermetically (see shared testing-clients.md): a HOME
// whose .rpmmacros keeps the rpm database inside --root, and a loud failure when a tool is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunResult {
  code: number;
  output: string;
}

/** `npm test` installs the clients; a missing one is a broken machine, never a reason to skip. */
export function requireTools(tools: string[]): void {
  const missing = tools.filter((t) => !existsSync(`/usr/bin/${t}`));
  if (missing.length > 0) {
    throw new Error(
      `missing ${missing.join(', ')}: install dnf, zypper, rpm and createrepo-c (npm test does) before the rpm e2e tests`,
    );
  }
}

/** A HOME for rpm-based tools: Debian's rpm otherwise keeps its database under ~/.rpmdb. */
export function createRpmHome(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  return dir;
}

function toolEnv(home: string): NodeJS.ProcessEnv {
  // The system python first: dnf's bindings live there, not in a pyenv/virtualenv python3.
  return {
    ...process.env,
    HOME: home,
    LC_ALL: 'C.UTF-8',
    PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}`,
  };
}

export function runTool(cmd: string, args: string[], home: string, timeout = 120_000): RunResult {
  const r = spawnSync(cmd, args, { env: toolEnv(home), encoding: 'utf8', timeout });
  return {
    code: r.status ?? -1,
    output: `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`,
  };
}

/** runTool without blocking the test process, for clients running side by side (the soak test). */
export function runToolAsync(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; timeout?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd: opts.cwd, timeout: opts.timeout ?? 120_000 });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('error', (err) => resolve({ code: -1, output: `${output}\n${err.message}` }));
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

export function runToolAsyncIn(cmd: string, args: string[], home: string): Promise<RunResult> {
  return runToolAsync(cmd, args, toolEnv(home));
}

/** An empty root with its own rpm database holding the repository key. */
export function createRpmRoot(root: string, home: string, keyFile: string): void {
  mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
  for (const args of [
    ['--root', root, '--initdb'],
    ['--root', root, '--import', keyFile],
  ]) {
    const r = runTool('rpm', args, home);
    if (r.code !== 0) throw new Error(`rpm ${args.join(' ')} failed: ${r.output}`);
  }
}

/** `rpm -K` against a database that holds only the given key. */
export function checkRpmSignature(dir: string, keyFile: string, rpmFile: string): RunResult {
  const home = createRpmHome(join(dir, 'home'));
  const dbpath = join(dir, 'rpmdb');
  mkdirSync(dbpath, { recursive: true });
  const imported = runTool('rpmkeys', ['--dbpath', dbpath, '--import', keyFile], home);
  if (imported.code !== 0) throw new Error(`rpmkeys --import failed: ${imported.output}`);
  return runTool('rpmkeys', ['--dbpath', dbpath, '-K', rpmFile], home);
}
