// Builds a small binary .deb (deb(5)): `debian-binary`, `control.tar.gz`, `data.tar.gz` in an ar
// archive, every member a ustar archive owned by root. Used for the packages Pallet makes itself (the
// repository keyring package); dpkg-deb builds the same layout. Written by hand: a few dozen lines of
// ustar, with no maintained writer that is synchronous and byte-reproducible.
import { gzipSync } from 'node:zlib';

export interface DebFile {
  /** absolute path, e.g. `/usr/share/keyrings/acme-tools.gpg` */
  path: string;
  bytes: Uint8Array;
  mode?: number;
}

export interface BuildDebInput {
  /** control fields in order (Package, Version, Architecture, Maintainer, Description, ...) */
  control: [string, string][];
  files: DebFile[];
  /** modification time of every member (seconds since the epoch) */
  mtime: number;
}

const enc = new TextEncoder();

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  mode: number;
  bytes?: Uint8Array;
}

function tarHeader(e: TarEntry, mtime: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number) => h.set(enc.encode(text), at);
  if (enc.encode(e.name).length > 99) throw new Error(`tar member name too long: ${e.name}`);
  put(e.name, 0);
  put(octal(e.mode, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(e.bytes?.length ?? 0, 12), 124);
  put(octal(mtime, 12), 136);
  put('        ', 148);
  put(e.type === 'dir' ? '5' : '0', 156);
  put('ustar\0', 257);
  put('00', 263);
  put('root', 265);
  put('root', 297);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function tar(entries: TarEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e, mtime));
    if (e.bytes) {
      parts.push(e.bytes);
      const pad = (512 - (e.bytes.length % 512)) % 512;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  parts.push(new Uint8Array(1024));
  return concat(parts);
}

/** Directory entries for every parent of the files (`./`, `./usr/`, ...), then the files. */
function dataEntries(files: DebFile[]): TarEntry[] {
  const dirs = new Set<string>(['./']);
  for (const f of files) {
    if (!f.path.startsWith('/') || f.path.split('/').some((s) => s === '..' || s === '.'))
      throw new Error(`deb file path must be absolute and plain: ${f.path}`);
    const segments = f.path.split('/').slice(1, -1);
    for (let i = 1; i <= segments.length; i++) dirs.add(`./${segments.slice(0, i).join('/')}/`);
  }
  return [
    ...[...dirs].sort().map((name) => ({ name, type: 'dir' as const, mode: 0o755 })),
    ...files.map((f) => ({
      name: `.${f.path}`,
      type: 'file' as const,
      mode: f.mode ?? 0o644,
      bytes: f.bytes,
    })),
  ];
}

function arMember(name: string, bytes: Uint8Array, mtime: number): Uint8Array {
  const header =
    name.padEnd(16) +
    String(mtime).padEnd(12) +
    '0'.padEnd(6) +
    '0'.padEnd(6) +
    '100644'.padEnd(8) +
    String(bytes.length).padEnd(10) +
    '`\n';
  return concat([enc.encode(header), bytes, bytes.length % 2 ? enc.encode('\n') : new Uint8Array(0)]);
}

export function buildDeb(input: BuildDebInput): Uint8Array {
  for (const [name, value] of input.control) {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name) || /[\r\0]/.test(value) || /\n(?! )/.test(value))
      throw new Error(`invalid control field ${name}`);
  }
  const control = `${input.control.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
  const controlTar = tar(
    [
      { name: './', type: 'dir', mode: 0o755 },
      { name: './control', type: 'file', mode: 0o644, bytes: enc.encode(control) },
    ],
    input.mtime,
  );
  const dataTar = tar(dataEntries(input.files), input.mtime);
  return concat([
    enc.encode('!<arch>\n'),
    arMember('debian-binary', enc.encode('2.0\n'), input.mtime),
    arMember('control.tar.gz', gzipSync(controlTar, { level: 9 }), input.mtime),
    arMember('data.tar.gz', gzipSync(dataTar, { level: 9 }), input.mtime),
  ]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
