// Bench-only: .rpm files written in-process by @pallet/rpm's buildRpm (the writer Pallet uses for its
// keyring packages), ~0.3 ms apiece instead of ~20-35 ms of rpmbuild CPU, so 10,000 cost seconds, not
// minutes. Each has the shape the rpmbuild set had: its own header, gzip'd cpio payload and digests,
// four files (/usr/bin, a %config in /etc, a %doc, a data file), versioned and plain Requires, a
// versioned Provides and two changelog entries (one with markup). `rpm -qp` and createrepo_c read them.
// Written to a cache directory between runs (deterministic for a given BENCH_RPM_SET_VERSION), and
// the very same files go to Pallet and to createrepo_c.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRpm } from '@pallet/rpm';

const BENCH_RPM_SET_VERSION = 2;
export const RPM_CHUNK = 500;
const MTIME = 1_740_960_000; // 2025-03-03
const enc = new TextEncoder();

export function rpmCacheDir(): string {
  return join(tmpdir(), `pallet-bench-rpms-v${BENCH_RPM_SET_VERSION}`);
}

const pad = (i: number) => String(i).padStart(5, '0');

/** Name of benchmark rpm `i` (base set) or of extra package `x` (the "add one more" uploads). */
export function rpmName(kind: 'base' | 'extra', i: number): string {
  return kind === 'base' ? `bench-rpm-${pad(i)}` : `bench-extra-${pad(i)}`;
}

const version = (i: number) => `1.${i % 97}.${i}`;
const fileName = (name: string, i: number) => `${name}-${version(i)}-1.noarch.rpm`;

/** The bytes of one benchmark rpm. */
export function benchRpm(kind: 'base' | 'extra', i: number): Uint8Array {
  const name = rpmName(kind, i);
  return buildRpm({
    name,
    version: version(i),
    release: '1',
    summary: `Synthetic benchmark package ${i}`,
    description:
      'This package exists to measure how long publishing a distribution takes.\n' +
      'Its metadata has the shape of an ordinary package: dependencies, a\n' +
      'provide, a few files in /usr/bin, /etc and /usr/share, and a changelog.',
    license: 'MIT',
    files: [
      { path: `/usr/bin/${name}`, bytes: enc.encode(`#!/bin/sh\necho ${name}\n`), mode: 0o755 },
      { path: `/etc/${name}.conf`, bytes: enc.encode(`setting=${name}\n`), flags: 1 },
      { path: `/usr/share/doc/${name}/README`, bytes: enc.encode(`${name} benchmark package\n`), flags: 2 },
      { path: `/usr/share/${name}/data.txt`, bytes: enc.encode(`${name} data\n`) },
    ],
    mtime: MTIME,
    requires: [
      { name: 'bash', op: '>=', version: '4.0' },
      { name: 'coreutils' },
      { name: rpmName('base', (i * 7) % 1000) },
    ],
    provides: [{ name: `bench-virtual-${i}`, op: '=', version: version(i) }],
    changelog: [
      {
        time: MTIME,
        author: 'Pallet Bench <bench@pallet.invalid> - 1-2',
        text: '- Second entry, with <markup> & an ampersand.',
      },
      {
        time: MTIME - 5_184_000,
        author: 'Pallet Bench <bench@pallet.invalid> - 1-1',
        text: '- First entry.',
      },
    ],
  });
}

function writeChunk(kind: 'base' | 'extra', from: number, to: number): string {
  const dir = join(rpmCacheDir(), `${kind}-${pad(from)}-${pad(to)}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const work = `${dir}.work-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (let i = from; i < to; i++) writeFileSync(join(work, fileName(rpmName(kind, i), i)), benchRpm(kind, i));
  writeFileSync(join(work, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
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

/** Writes (or finds cached) base rpms 0..count-1 and extras 0..extras-1. */
export async function ensureRpmSet(count: number, extras: number): Promise<RpmSet> {
  const started = performance.now();
  const jobs: [kind: 'base' | 'extra', from: number, to: number][] = [['extra', 0, Math.max(extras, 8)]];
  for (let from = 0; from < count; from += RPM_CHUNK) jobs.push(['base', from, from + RPM_CHUNK]);
  const cached = jobs.every(([k, f, t]) =>
    existsSync(join(rpmCacheDir(), `${k}-${pad(f)}-${pad(t)}`, '.complete')),
  );
  const dirs = new Map<string, string>();
  for (const [kind, from, to] of jobs) dirs.set(`${kind}-${from}`, writeChunk(kind, from, to));
  const baseDir = (i: number) => dirs.get(`base-${i - (i % RPM_CHUNK)}`)!;
  return {
    base: (i) => join(baseDir(i), fileName(rpmName('base', i), i)),
    extra: (x) => join(dirs.get('extra-0')!, fileName(rpmName('extra', x), x)),
    builtMs: performance.now() - started,
    cached,
  };
}
