// Test-only helpers: build .debs with dpkg-deb, hand-craft ar archives and control tars, and
// feed bytes to parseDeb in small chunks. Not exported from the package.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';

export const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** Yields `bytes` in chunks of `size` (default 7, to cross every boundary). */
export async function* chunked(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pallet-deb-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type DpkgCompression = 'gzip' | 'xz' | 'zstd' | 'none';

/** Builds a .deb with dpkg-deb from a control text and one payload file; returns its bytes. */
export function buildDebWithDpkg(dir: string, control: string, compression: DpkgCompression): Buffer {
  const root = join(dir, `root-${compression}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc/pallet-test'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), control);
  writeFileSync(join(root, 'usr/share/doc/pallet-test/README'), 'payload\n'.repeat(1000));
  chmodSync(join(root, 'DEBIAN'), 0o755);
  const out = `${root}.deb`;
  execFileSync('dpkg-deb', ['--build', `-Z${compression}`, '-z1', '--root-owner-group', root, out], {
    stdio: 'pipe',
  });
  return readFileSync(out);
}

/** `dpkg-deb -f FILE` output, i.e. the control file as dpkg itself reads it. */
export function dpkgDebFields(path: string): string {
  return execFileSync('dpkg-deb', ['-f', path], { encoding: 'utf8' });
}

export interface ArMember {
  name: string;
  data: Uint8Array;
  /** Overrides the size written in the header (to lie about it). */
  claimedSize?: number;
}

export function arHeader(name: string, size: number): Buffer {
  const header =
    name.padEnd(16) +
    '0'.padEnd(12) +
    '0'.padEnd(6) +
    '0'.padEnd(6) +
    '100644'.padEnd(8) +
    String(size).padEnd(10);
  return Buffer.from(`${header}\`\n`, 'latin1');
}

/** A well-formed ar archive of `members` (with even padding). */
export function arArchive(members: readonly ArMember[]): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'latin1')];
  for (const member of members) {
    parts.push(arHeader(member.name, member.claimedSize ?? member.data.length), Buffer.from(member.data));
    if (member.data.length % 2 === 1) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** An uncompressed tar holding `files` (name → content). */
export async function tarOf(files: Record<string, string | Uint8Array>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644 }, Buffer.from(content));
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const part of pack) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export interface TarEntrySpec {
  name: string;
  content?: string | Uint8Array;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

/** An uncompressed tar of `entries` in order (duplicates, links and odd names allowed). */
export async function tarOfEntries(entries: readonly TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    if (type === 'file') pack.entry({ name: entry.name, mode: 0o644 }, Buffer.from(entry.content ?? ''));
    else pack.entry({ name: entry.name, type, linkname: entry.linkname, mode: 0o755 });
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const part of pack) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export const HELLO_CONTROL = [
  'Package: pallet-test',
  'Version: 1.0-1',
  'Architecture: amd64',
  'Maintainer: Test <test@example.org>',
  'Description: a test package',
  ' Longer text.',
  '',
].join('\n');

/** A minimal valid .deb assembled by hand: control.tar uncompressed, data.tar uncompressed. */
export async function handmadeDeb(
  options: { control?: string; dataName?: string; data?: Uint8Array; extra?: ArMember[] } = {},
): Promise<Buffer> {
  const controlTar = await tarOf({ './control': options.control ?? HELLO_CONTROL });
  const dataTar = options.data ?? (await tarOf({ './usr/share/doc/x/README': 'hi\n' }));
  return arArchive([
    { name: 'debian-binary', data: Buffer.from('2.0\n') },
    { name: 'control.tar', data: controlTar },
    { name: options.dataName ?? 'data.tar', data: dataTar },
    ...(options.extra ?? []),
  ]);
}

/** Runs a shell pipeline and returns its stdout as bytes (for xz/zstd/gzip bombs). */
export function shellBytes(command: string): Buffer {
  return execFileSync('bash', ['-c', command], { maxBuffer: 64 * 1024 * 1024 });
}
