// Bench-only: writes small but valid .deb files in memory (ar + gzip'd ustar members), so thousands
// of distinct packages cost milliseconds instead of one dpkg-deb run each. The control text is
// shaped like an ordinary Debian stanza (depends, homepage, multi-line description) so Packages
// files have realistic size and compressibility.
import { gzipSync } from 'node:zlib';

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header + content, padded to 512-byte blocks. */
function tarEntry(name: string, content: Buffer, type: '0' | '5' = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  header.write(octal(content.length, 12), 124, 'latin1');
  header.write(octal(1_700_000_000, 12), 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(type, 156, 'latin1');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  header.write('root', 265, 'latin1');
  header.write('root', 297, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const pad = (512 - (content.length % 512)) % 512;
  return Buffer.concat([header, content, Buffer.alloc(pad)]);
}

function tarGz(entries: [string, Buffer, ('0' | '5')?][]): Buffer {
  const parts = entries.map(([name, content, type]) => tarEntry(name, content, type));
  return gzipSync(Buffer.concat([...parts, Buffer.alloc(1024)]), { level: 1 });
}

function arMember(name: string, data: Buffer): Buffer {
  const header =
    name.padEnd(16) + '1700000000'.padEnd(12) + '0'.padEnd(6) + '0'.padEnd(6) + '100644'.padEnd(8);
  const head = Buffer.from(`${header}${String(data.length).padEnd(10)}\`\n`, 'latin1');
  return Buffer.concat([head, data, data.length % 2 ? Buffer.from('\n') : Buffer.alloc(0)]);
}

export interface SyntheticDeb {
  name: string;
  version: string;
  bytes: Buffer;
}

/** Package number `i` of a benchmark set: a distinct name and version, amd64. */
export function buildSyntheticDeb(i: number, prefix = 'bench'): SyntheticDeb {
  const name = `${prefix}-pkg-${String(i).padStart(5, '0')}`;
  const version = `1.${i % 97}.${i}-1`;
  const control = [
    `Package: ${name}`,
    `Version: ${version}`,
    'Architecture: amd64',
    'Maintainer: Pallet Bench <bench@pallet.invalid>',
    `Installed-Size: ${20 + (i % 500)}`,
    `Depends: libc6 (>= 2.34), libssl3 (>= 3.0.0), zlib1g (>= 1:1.2.0), ${prefix}-pkg-${String((i * 7) % 1000).padStart(5, '0')}`,
    'Section: utils',
    'Priority: optional',
    `Homepage: https://example.invalid/${name}`,
    `Description: synthetic benchmark package number ${i}`,
    ' This package exists to measure how long publishing a distribution takes.',
    ' Its control fields have the shape of an ordinary Debian package so that',
    ' the Packages index has a realistic size per stanza.',
    '',
  ].join('\n');
  const doc = Buffer.from(`${name} ${version}\n`);
  const bytes = Buffer.concat([
    Buffer.from('!<arch>\n', 'latin1'),
    arMember('debian-binary', Buffer.from('2.0\n')),
    arMember('control.tar.gz', tarGz([['./control', Buffer.from(control)]])),
    arMember(
      'data.tar.gz',
      tarGz([
        ['./usr/', Buffer.alloc(0), '5'],
        ['./usr/share/', Buffer.alloc(0), '5'],
        ['./usr/share/doc/', Buffer.alloc(0), '5'],
        [`./usr/share/doc/${name}/`, Buffer.alloc(0), '5'],
        [`./usr/share/doc/${name}/README`, doc],
      ]),
    ),
  ]);
  return { name, version, bytes };
}
