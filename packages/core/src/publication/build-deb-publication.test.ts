// The APT file set: Packages and .gz always (.xz on request), by-hash copies of each, signed Release trio.
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateSigningKey } from '@pallet/openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDebPublication,
  countGzipMembers,
  type DebIndexBase,
  type DebPublicationInput,
} from './build-deb-publication';
import { digestsOf } from './publication-file';

let input: DebPublicationInput;

beforeAll(async () => {
  const key = await generateSigningKey({ name: 'Test', email: 't@example.test', algorithm: 'ed25519' });
  input = {
    release: 'bookworm',
    origin: 'o',
    label: 'l',
    description: 'd',
    components: ['main'],
    defaultArchitectures: ['amd64'],
    rows: [
      { component: 'main', architecture: 'all', indexEntry: 'Package: a\nVersion: 1\nArchitecture: all\n' },
    ],
    date: new Date('2026-01-02T03:04:05Z'),
    signingKeys: [{ privateKeyArmored: key.privateKeyArmored, fingerprint: key.fingerprint }],
  };
});

describe('buildDebPublication', () => {
  it('publishes Packages and Packages.gz with by-hash copies, and no .xz by default', async () => {
    const paths = (await buildDebPublication(input)).map((f) => f.path);
    expect(paths).toContain('dists/bookworm/main/binary-amd64/Packages');
    expect(paths).toContain('dists/bookworm/main/binary-amd64/Packages.gz');
    expect(paths.some((p) => p.endsWith('Packages.xz'))).toBe(false);
    expect(paths.filter((p) => p.includes('/by-hash/SHA512/'))).toHaveLength(4);
    expect(paths.slice(-3)).toEqual([
      'dists/bookworm/Release',
      'dists/bookworm/Release.gpg',
      'dists/bookworm/InRelease',
    ]);
  });

  it('adds Packages.xz, listed in Release, when asked', async () => {
    const files = await buildDebPublication({ ...input, withXz: true });
    const release = Buffer.from(files.find((f) => f.path === 'dists/bookworm/Release')!.bytes).toString(
      'utf8',
    );
    expect(release).toMatch(/ main\/binary-amd64\/Packages\.xz$/m);
    const xz = files.find((f) => f.path.endsWith('binary-amd64/Packages.xz'))!;
    expect(Buffer.from(xz.bytes).subarray(0, 6).toString('latin1')).toBe('\xfd7zXZ\x00');
  });

  it('lists all in Architectures with its own binary-all index, keeping arch-all entries in each architecture', async () => {
    const files = await buildDebPublication({
      ...input,
      rows: [
        ...input.rows,
        {
          component: 'main',
          architecture: 'amd64',
          indexEntry: 'Package: b\nVersion: 1\nArchitecture: amd64\n',
        },
        {
          component: 'main',
          architecture: 's390x',
          indexEntry: 'Package: c\nVersion: 1\nArchitecture: s390x\n',
        },
      ],
    });
    const text = (path: string) =>
      Buffer.from(files.find((f) => f.path === `dists/bookworm/${path}`)!.bytes).toString('utf8');
    const packages = (arch: string) =>
      [...text(`main/binary-${arch}/Packages`).matchAll(/^Package: (\S+)$/gm)].map((m) => m[1]);
    expect(packages('all')).toEqual(['a']);
    expect(packages('amd64')).toEqual(['a', 'b']);
    expect(packages('s390x')).toEqual(['a', 'c']);
    const release = text('Release');
    expect(release).toMatch(/^Architectures: all amd64 s390x$/m);
    expect(release).not.toMatch(/No-Support-for-Architecture-all/);
    expect(release).toMatch(/ main\/binary-all\/Packages\.gz$/m);
  });

  it('publishes an empty binary-all index when no package is arch-all', async () => {
    const files = await buildDebPublication({
      ...input,
      rows: [
        {
          component: 'main',
          architecture: 'amd64',
          indexEntry: 'Package: b\nVersion: 1\nArchitecture: amd64\n',
        },
      ],
    });
    const all = files.find((f) => f.path === 'dists/bookworm/main/binary-all/Packages')!;
    expect(all.bytes.length).toBe(0);
  });

  it('appends added packages to the previous indexes and reuses the unchanged ones with their digests', async () => {
    const amd64 = 'Package: b\nVersion: 1\nArchitecture: amd64\n';
    const first = await buildDebPublication({
      ...input,
      rows: [...input.rows, { component: 'main', architecture: 'amd64', indexEntry: amd64 }],
    });
    const bytesOf = (files: typeof first, path: string) =>
      Buffer.from(files.find((f) => f.path === `dists/bookworm/${path}`)!.bytes);
    const base = new Map<string, DebIndexBase>();
    for (const dir of ['main/binary-all', 'main/binary-amd64']) {
      const plain = bytesOf(first, `${dir}/Packages`);
      const gz = bytesOf(first, `${dir}/Packages.gz`);
      base.set(dir, { plain, gz, plainDigests: digestsOf(plain), gzDigests: digestsOf(gz) });
    }
    const added = 'Package: c\nVersion: 2\nArchitecture: amd64\n';
    const next = await buildDebPublication({
      ...input,
      base,
      rows: [{ component: 'main', architecture: 'amd64', indexEntry: added }],
    });
    const plain = bytesOf(next, 'main/binary-amd64/Packages');
    expect(plain.toString()).toBe(`${bytesOf(first, 'main/binary-amd64/Packages').toString()}\n${added}`);
    const gz = bytesOf(next, 'main/binary-amd64/Packages.gz');
    expect(gz.subarray(0, base.get('main/binary-amd64')!.gz.length)).toEqual(
      base.get('main/binary-amd64')!.gz,
    );
    expect(gunzipSync(gz).equals(plain)).toBe(true);
    // binary-all did not change: the very same bytes
    expect(bytesOf(next, 'main/binary-all/Packages.gz').equals(base.get('main/binary-all')!.gz)).toBe(true);
    const release = bytesOf(next, 'Release').toString();
    expect(release).toMatch(/^Architectures: all amd64$/m);
    expect(release).not.toMatch(/^SHA1:/m);
    for (const [path, bytes] of [
      ['main/binary-amd64/Packages', plain],
      ['main/binary-amd64/Packages.gz', gz],
      ['main/binary-all/Packages', bytesOf(next, 'main/binary-all/Packages')],
    ] as const) {
      const d = digestsOf(bytes);
      expect(release).toMatch(new RegExp(`^ ${d.sha256} +${bytes.length} ${path}$`, 'm'));
      expect(release).toMatch(new RegExp(`^ ${d.md5} +${bytes.length} ${path}$`, 'm'));
      expect(release).toMatch(new RegExp(`^ ${d.sha512} +${bytes.length} ${path}$`, 'm'));
    }
  });

  it('compresses an index afresh once its Packages.gz holds many appended members', async () => {
    const stanzas = Array.from({ length: 64 }, (_, i) => `Package: p${i}\nVersion: 1\nArchitecture: amd64\n`);
    const plain = Buffer.from(stanzas.join('\n'));
    const gz = Buffer.concat(stanzas.map((s, i) => gzipSync(i ? `\n${s}` : s)));
    expect(countGzipMembers(gz)).toBe(64);
    expect(gunzipSync(gz).equals(plain)).toBe(true);
    const empty = Buffer.alloc(0);
    const emptyGz = gzipSync(empty);
    const base = new Map<string, DebIndexBase>([
      ['main/binary-amd64', { plain, gz, plainDigests: digestsOf(plain), gzDigests: digestsOf(gz) }],
      [
        'main/binary-all',
        { plain: empty, gz: emptyGz, plainDigests: digestsOf(empty), gzDigests: digestsOf(emptyGz) },
      ],
    ]);
    const next = await buildDebPublication({
      ...input,
      base,
      rows: [
        {
          component: 'main',
          architecture: 'amd64',
          indexEntry: 'Package: q\nVersion: 1\nArchitecture: amd64\n',
        },
      ],
    });
    const out = Buffer.from(
      next.find((f) => f.path === 'dists/bookworm/main/binary-amd64/Packages.gz')!.bytes,
    );
    expect(countGzipMembers(out)).toBe(1);
    expect(gunzipSync(out).toString()).toBe(
      `${plain.toString()}\nPackage: q\nVersion: 1\nArchitecture: amd64\n`,
    );
  });
});
