// A .deb of just over 1 GiB (incompressible data, stored uncompressed) for the upload scenarios,
// built once with dpkg-deb and kept in $TMPDIR/pallet-bench-1gib.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GIB = 1024 ** 3;

/** A .deb of just over 1 GiB (incompressible data, stored uncompressed), built once and kept in tmp. */
export function bigDeb(): string {
  const dir = join(tmpdir(), 'pallet-bench-1gib');
  const out = join(dir, 'bench-big_1.0-1_all.deb');
  if (existsSync(out) && statSync(out).size > GIB) return out;
  const root = join(dir, 'root');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/bench-big'), { recursive: true });
  execFileSync('sh', [
    '-c',
    `printf 'Package: bench-big\\nVersion: 1.0-1\\nArchitecture: all\\nMaintainer: Bench <b@pallet.invalid>\\nDescription: 1 GiB\\n' > ${root}/DEBIAN/control`,
  ]);
  const fd = openSync(join(root, 'usr/share/bench-big/blob'), 'w');
  const chunk = Buffer.alloc(16 * 1024 ** 2);
  for (let written = 0; written < GIB; written += chunk.length) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Znone', '--build', root, out], { stdio: 'ignore' });
  // Keep only the .deb: the 1 GiB tree it was built from is not needed again.
  rmSync(root, { recursive: true, force: true });
  return out;
}
