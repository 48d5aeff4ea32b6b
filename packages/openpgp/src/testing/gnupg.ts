// Test support: runs the real gpgv, gpg --list-packets and rpm against temp directories, and mimics
// apt's SplitClearSignedFile layout rules. Not exported from the package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function hasCommand(command: string): boolean {
  return spawnSync(command, ['--version']).status === 0;
}

/** A scratch directory removed by the returned cleanup function. */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pallet-openpgp-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function run(command: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * gpgv with a binary keyring, the way apt calls it (status lines on stdout).
 * `files` are the signed file (cleartext) or signature + data (detached).
 */
export function gpgv(
  dir: string,
  keyring: Uint8Array,
  files: Record<string, string | Uint8Array>,
): RunResult {
  const keyringPath = join(dir, 'keyring.gpg');
  writeFileSync(keyringPath, keyring);
  const paths = Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
  return run('gpgv', ['--status-fd', '1', '--keyring', keyringPath, ...paths], { GNUPGHOME: dir });
}

export function statusLines(result: RunResult, keyword: string): string[] {
  return result.stdout.split('\n').filter((line) => line.startsWith(`[GNUPG:] ${keyword} `));
}

export function listPackets(dir: string, content: string | Uint8Array): string {
  const path = join(dir, 'packets.in');
  writeFileSync(path, content);
  const r = run('gpg', ['--batch', '--list-packets', path], { GNUPGHOME: dir });
  if (r.code !== 0) throw new Error(`gpg --list-packets failed: ${r.stderr}`);
  return r.stdout;
}

/** `rpm --import` of an armored key into a fresh rpm database, then the gpg-pubkey entries it holds. */
export function rpmImport(dir: string, armoredKey: string): { importResult: RunResult; installed: string } {
  const dbpath = join(dir, 'rpmdb');
  const keyPath = join(dir, 'key.asc');
  writeFileSync(keyPath, armoredKey);
  const init = run('rpm', ['--dbpath', dbpath, '--initdb']);
  if (init.code !== 0) throw new Error(`rpm --initdb failed: ${init.stderr}`);
  const importResult = run('rpm', ['--dbpath', dbpath, '--import', keyPath]);
  const query = run('rpm', [
    '--dbpath',
    dbpath,
    '-q',
    'gpg-pubkey',
    '--qf',
    '%{VERSION}-%{RELEASE} %{SUMMARY}\n',
  ]);
  return { importResult, installed: query.stdout };
}

/**
 * apt's SplitClearSignedFile rules (apt-pkg/contrib/gpgv.cc): nothing before BEGIN, armor headers not
 * starting with '-', every '-' line in the message dash-escaped, nothing but signature blocks after END.
 * Returns the message as apt writes it out (each line followed by '\n').
 */
export function splitClearSignedLikeApt(armored: string): string {
  const lines = armored.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let i = 0;
  if (lines[i++] !== '-----BEGIN PGP SIGNED MESSAGE-----') throw new Error('does not start with BEGIN');
  for (; lines[i] !== ''; i++) {
    if (i >= lines.length) throw new Error('no end of armor headers');
    if (lines[i]?.startsWith('-')) throw new Error('armor header starts with -');
  }
  i++;
  const message: string[] = [];
  for (; lines[i] !== '-----BEGIN PGP SIGNATURE-----'; i++) {
    const line = lines[i];
    if (line === undefined) throw new Error('no signature block');
    if (line.startsWith('- ')) message.push(line.slice(2));
    else if (line.startsWith('-')) throw new Error(`unescaped dash line: ${line}`);
    else message.push(line);
  }
  let inSignature = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line === '-----BEGIN PGP SIGNATURE-----' && !inSignature) inSignature = true;
    else if (line === '-----END PGP SIGNATURE-----' && inSignature) inSignature = false;
    else if (!inSignature) throw new Error('contains unsigned lines after the signature');
  }
  if (inSignature) throw new Error('signature block not terminated');
  return message.map((line) => `${line}\n`).join('');
}
