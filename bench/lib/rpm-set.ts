// Bench-only: real .rpm files made by `rpmbuild`, many per run: one spec per chunk of 500 whose
// subpackages (`%package -n`) are the benchmark packages, so each rpm has its own header, payload and
// digests at ~20 ms of CPU apiece instead of ~0.3 s for one rpmbuild run per package. Chunks are
// kept in a cache directory between runs (they are deterministic for a given BENCH_RPM_SET_VERSION).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BENCH_RPM_SET_VERSION = 1;
export const RPM_CHUNK = 500;

export function rpmCacheDir(): string {
  return join(tmpdir(), `pallet-bench-rpms-v${BENCH_RPM_SET_VERSION}`);
}

const pad = (i: number) => String(i).padStart(5, '0');

/** Name of benchmark rpm `i` (base set) or of extra package `x` (the "add one more" uploads). */
export function rpmName(kind: 'base' | 'extra', i: number): string {
  return kind === 'base' ? `bench-rpm-${pad(i)}` : `bench-extra-${pad(i)}`;
}

function subpackage(name: string, i: number): string {
  return `%package -n ${name}
Summary: Synthetic benchmark package ${i}
Version: 1.${i % 97}.${i}
License: MIT
AutoReqProv: no
Requires: bash >= 4.0
Requires: coreutils
Requires: bench-rpm-${pad((i * 7) % 1000)}
Provides: bench-virtual-${i} = 1.${i % 97}.${i}

%description -n ${name}
This package exists to measure how long publishing a distribution takes.
Its metadata has the shape of an ordinary package: dependencies, a
provide, a few files in /usr/bin, /etc and /usr/share, and a changelog.

%files -n ${name}
/usr/bin/${name}
%config(noreplace) /etc/${name}.conf
%doc /usr/share/doc/${name}/README
/usr/share/${name}
`;
}

function spec(kind: 'base' | 'extra', from: number, to: number): string {
  const names = Array.from({ length: to - from }, (_, k) => rpmName(kind, from + k));
  return `Name: bench-chunk-${kind}-${from}
Version: 1
Release: 1
Summary: Benchmark chunk (never built itself: it has no %files)
License: MIT
BuildArch: noarch

%description
Benchmark chunk.

%install
# Builtins only inside the loop: one fork per package costs more than rpm's own work.
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc ${names.map((n) => `%{buildroot}/usr/share/doc/${n} %{buildroot}/usr/share/${n}`).join(' ')}
for n in ${names.join(' ')}; do
  printf '#!/bin/sh\\necho %s\\n' $n > %{buildroot}/usr/bin/$n
  echo "setting=$n" > %{buildroot}/etc/$n.conf
  echo "$n benchmark package" > %{buildroot}/usr/share/doc/$n/README
  echo "$n data" > %{buildroot}/usr/share/$n/data.txt
done
chmod 755 %{buildroot}/usr/bin/*

${names.map((n, k) => subpackage(n, from + k)).join('\n')}
%changelog
* Mon Mar 03 2025 Pallet Bench <bench@pallet.invalid> - 1-2
- Second entry, with <markup> & an ampersand.
* Wed Jan 01 2025 Pallet Bench <bench@pallet.invalid> - 1-1
- First entry.
`;
}

async function buildChunk(kind: 'base' | 'extra', from: number, to: number): Promise<string> {
  const dir = join(rpmCacheDir(), `${kind}-${pad(from)}-${pad(to)}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const work = `${dir}.work-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'home'), { recursive: true });
  writeFileSync(join(work, 'bench.spec'), spec(kind, from, to));
  await run(
    'rpmbuild',
    [
      '--define',
      `_topdir ${join(work, 'top')}`,
      '--define',
      'debug_package %{nil}',
      // No brp scripts or build-id links: they cost more than the packaging itself.
      '--define',
      '__os_install_post %{nil}',
      '--define',
      '_build_id_links none',
      '--quiet',
      '-bb',
      join(work, 'bench.spec'),
    ],
    { env: { ...process.env, HOME: join(work, 'home'), LC_ALL: 'C.UTF-8' }, maxBuffer: 64 << 20 },
  );
  mkdirSync(dir, { recursive: true });
  const built = join(work, 'top', 'RPMS', 'noarch');
  for (const f of readdirSync(built)) renameSync(join(built, f), join(dir, f));
  rmSync(work, { recursive: true, force: true });
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

export interface RpmSet {
  /** path of base rpm `i` */
  base(i: number): string;
  /** path of extra rpm `x` */
  extra(x: number): string;
  builtMs: number;
  cached: boolean;
}

function fileOf(dir: string, name: string): string {
  const f = readdirSync(dir).find((n) => n.startsWith(`${name}-1.`) && n.endsWith('.noarch.rpm'));
  if (!f) throw new Error(`rpmbuild did not produce ${name}`);
  return join(dir, f);
}

/** Builds (or finds cached) base rpms 0..count-1 and extras 0..extras-1, `parallel` rpmbuilds at a time. */
export async function ensureRpmSet(count: number, extras: number, parallel = 2): Promise<RpmSet> {
  const started = performance.now();
  const jobs: [kind: 'base' | 'extra', from: number, to: number][] = [['extra', 0, Math.max(extras, 8)]];
  for (let from = 0; from < count; from += RPM_CHUNK) jobs.push(['base', from, from + RPM_CHUNK]);
  const cached = jobs.every(([k, f, t]) =>
    existsSync(join(rpmCacheDir(), `${k}-${pad(f)}-${pad(t)}`, '.complete')),
  );
  const dirs = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let j = next++; j < jobs.length; j = next++) {
        const [kind, from, to] = jobs[j]!;
        dirs.set(`${kind}-${from}`, await buildChunk(kind, from, to));
      }
    }),
  );
  const baseDir = (i: number) => dirs.get(`base-${i - (i % RPM_CHUNK)}`)!;
  return {
    base: (i) => fileOf(baseDir(i), rpmName('base', i)),
    extra: (x) => fileOf(dirs.get('extra-0')!, rpmName('extra', x)),
    builtMs: performance.now() - started,
    cached,
  };
}
