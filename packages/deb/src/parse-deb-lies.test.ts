// Packages whose metadata would say one thing to Pallet and another to dpkg, and data members that
// are not what their name claims: each must be refused (DebFormatError `corrupt`, i.e. HTTP 422).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebFormatError } from './errors';
import { parseDeb } from './parse-deb';
import {
  arArchive,
  buildDebWithDpkg,
  chunked,
  dpkgDebFields,
  HELLO_CONTROL,
  handmadeDeb,
  makeTempDir,
  shellBytes,
  tarOf,
  tarOfEntries,
} from './testing/deb-builders';
import { debWithControlMember, expectRejection } from './testing/expect-deb-error';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

const SECOND_CONTROL = HELLO_CONTROL.replace('Package: pallet-test', 'Package: pallet-other');

function debWithControlTar(controlTar: Uint8Array, dataTar?: Uint8Array): Promise<Buffer> {
  return (async () =>
    arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar.gz', data: gzipSync(controlTar) },
      {
        name: 'data.tar.gz',
        data: gzipSync(dataTar ?? (await tarOf({ './usr/share/doc/x/README': 'hi\n' }))),
      },
    ]))();
}

describe('parseDeb reads the control member as dpkg-deb does', () => {
  it('refuses a control.tar holding both ./control and control, which dpkg-deb resolves to the last one', async () => {
    const controlTar = await tarOfEntries([
      { name: './control', content: HELLO_CONTROL },
      { name: 'control', content: SECOND_CONTROL },
    ]);
    const bytes = await debWithControlTar(controlTar);
    const path = join(temp.dir, 'two-controls.deb');
    writeFileSync(path, bytes);
    // dpkg-deb extracts control.tar into a directory: the later member overwrites the earlier.
    expect(dpkgDebFields(path)).toContain('Package: pallet-other');
    await expectRejection(bytes, 'corrupt', /holds the control file more than once/);
  });

  it('refuses the same ambiguity spelled .//control and ././control', async () => {
    const controlTar = await tarOfEntries([
      { name: '././control', content: HELLO_CONTROL },
      { name: './/control', content: SECOND_CONTROL },
    ]);
    await expectRejection(await debWithControlTar(controlTar), 'corrupt', /more than once/);
  });

  it('refuses a control that is a symlink or a hard link', async () => {
    for (const type of ['symlink', 'link'] as const) {
      const controlTar = await tarOfEntries([
        { name: './md5sums', content: HELLO_CONTROL },
        { name: './control', type, linkname: type === 'link' ? './md5sums' : '/etc/passwd' },
      ]);
      await expectRejection(await debWithControlTar(controlTar), 'corrupt', /not a regular file/);
    }
  });

  it('refuses a control entry whose name ends in a slash (GNU tar makes it a directory)', async () => {
    const controlTar = await tarOfEntries([{ name: './control/', content: HELLO_CONTROL }]);
    await expectRejection(await debWithControlTar(controlTar), 'corrupt', /not a regular file/);
  });

  it('refuses member names that climb out with ..', async () => {
    const controlTar = await tarOfEntries([
      { name: './control', content: HELLO_CONTROL },
      { name: 'x/../control', content: SECOND_CONTROL },
    ]);
    await expectRejection(await debWithControlTar(controlTar), 'corrupt', /member name with "\.\."/);
  });

  it('ignores members after the end-of-archive block, as GNU tar does', async () => {
    const first = await tarOfEntries([{ name: './control', content: HELLO_CONTROL }]);
    const hidden = await tarOfEntries([{ name: 'control', content: SECOND_CONTROL }]);
    const bytes = await debWithControlTar(Buffer.concat([first, hidden]));
    const path = join(temp.dir, 'hidden-control.deb');
    writeFileSync(path, bytes);
    expect(dpkgDebFields(path)).toContain('Package: pallet-test');
    expect((await parseDeb(chunked(bytes, 1000))).name).toBe('pallet-test');
  });

  it('refuses a tar header whose checksum does not match', async () => {
    const controlTar = await tarOf({ './control': HELLO_CONTROL });
    controlTar[5] = 0x41; // inside the name field, after the checksum was computed
    await expectRejection(await debWithControlTar(controlTar), 'corrupt', /checksum does not match/);
  });

  it('reads a GNU tar control.tar with a long-name entry', async () => {
    const longName = `./${'d'.repeat(120)}/md5sums`;
    const controlTar = await tarOfEntries([
      { name: longName, content: 'x\n' },
      { name: './control', content: HELLO_CONTROL },
    ]);
    expect((await parseDeb(chunked(await debWithControlTar(controlTar)))).name).toBe('pallet-test');
  });
});

describe('parseDeb refuses control fields dpkg would not read as Pallet stores them', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a NUL in a value', HELLO_CONTROL.replace('a test package', 'a test\0package'), /U\+0000/],
    ['a NUL in a field name', HELLO_CONTROL.replace('Maintainer:', 'Maint\0ainer:'), /U\+0000/],
    ['an escape code', HELLO_CONTROL.replace('a test package', 'a \x1b[31mred\x1b[0m package'), /U\+001B/],
    ['a CR line end', HELLO_CONTROL.replace('Version: 1.0-1\n', 'Version: 1.0-1\r\n'), /U\+000D/],
    ['a comment line', HELLO_CONTROL.replace('Version:', '# Package: evil\nVersion:'), /no comments/],
    ['a byte-order mark', `\uFEFF${HELLO_CONTROL}`, /malformed at line 1/],
    ['a duplicate field', `${HELLO_CONTROL}Package: evil\n`, /duplicate field Package/],
    ['a duplicate field in other case', `${HELLO_CONTROL}package: evil\n`, /duplicate field package/],
    [
      'a stanza injected by a blank line',
      HELLO_CONTROL.replace(' Longer text.', ' \nPackage: evil'),
      /more than one stanza/,
    ],
    ['a non-ASCII field name', HELLO_CONTROL.replace('Maintainer:', 'Maintäiner:'), /cannot be published/],
    [
      'a Package with a space',
      HELLO_CONTROL.replace('pallet-test', 'pallet test'),
      /not a valid package name/,
    ],
    ['an uppercase Package', HELLO_CONTROL.replace('pallet-test', 'Pallet-test'), /not a valid package name/],
    ['a one-letter Package', HELLO_CONTROL.replace('pallet-test', 'p'), /not a valid package name/],
    ['a Version with a colon but no epoch', HELLO_CONTROL.replace('1.0-1', '1:2:3-x:y'), /invalid character/],
    ['an empty revision', HELLO_CONTROL.replace('1.0-1', '1.0-'), /revision number is empty/],
    ['an Architecture with a slash', HELLO_CONTROL.replace('amd64', 'amd64/../x'), /Architecture/],
    ['an Architecture "any"', HELLO_CONTROL.replace('amd64', 'any'), /Architecture/],
    ['a bad Source name', `${HELLO_CONTROL}Source: ../x\n`, /Source field/],
    ['a bad Source version', `${HELLO_CONTROL}Source: hello (v1)\n`, /invalid version/],
  ];
  for (const [what, control, message] of cases) {
    it(`refuses ${what}`, async () => {
      await expectRejection(await handmadeDeb({ control }), 'corrupt', message);
    });
  }

  it('accepts a Source with a version and an epoch version', async () => {
    const control = `${HELLO_CONTROL.replace('1.0-1', '2:1.0~rc1+dfsg-1ubuntu0.1')}Source: hello (2:1.0-1)\n`;
    const pkg = await parseDeb(chunked(await handmadeDeb({ control })));
    expect(pkg).toMatchObject({
      version: '2:1.0~rc1+dfsg-1ubuntu0.1',
      source: 'hello',
      sourceVersion: '2:1.0-1',
    });
  });
});

describe('parseDeb checks that data.tar decompresses to a valid tar', () => {
  const dataTar = async () => tarOf({ './usr/share/doc/x/README': 'hello\n'.repeat(2000) });

  it('refuses a data.tar.gz whose deflate stream is damaged', async () => {
    const gz = gzipSync(await dataTar());
    for (let index = 20; index < 40; index++) gz[index] = (gz[index] ?? 0) ^ 0xff;
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: gz }),
      'corrupt',
      /data.tar.gz (is not valid gzip data|is truncated)/,
    );
  });

  it('refuses a data.tar.gz whose CRC does not match', async () => {
    const gz = gzipSync(await dataTar());
    gz[gz.length - 6] = (gz[gz.length - 6] ?? 0) ^ 0x01;
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: gz }),
      'corrupt',
      /not valid gzip/,
    );
  });

  it('refuses a data.tar.gz cut short inside a complete ar member', async () => {
    const gz = gzipSync(await dataTar());
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: gz.subarray(0, gz.length - 30) }),
      'corrupt',
      /data.tar.gz is truncated/,
    );
  });

  it('refuses a data.tar.xz cut short inside a complete ar member', async () => {
    const xz = execFileSync('xz', ['-1', '-c'], { input: await dataTar() });
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.xz', data: xz.subarray(0, xz.length - 20) }),
      'corrupt',
      /data.tar.xz is (truncated|not valid xz data)/,
    );
  });

  it('refuses a data.tar.xz with a flipped byte', async () => {
    const xz = Buffer.from(execFileSync('xz', ['-1', '-c'], { input: await dataTar() }));
    xz[xz.length >> 1] = (xz[xz.length >> 1] ?? 0) ^ 0x10;
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.xz', data: xz }),
      'corrupt',
      /data.tar.xz is not valid xz data/,
    );
  });

  it('refuses a data.tar.zst with garbage after its magic, or cut short', async () => {
    const zst = execFileSync('zstd', ['-q', '-c'], { input: await dataTar() });
    const garbage = Buffer.concat([zst.subarray(0, 4), Buffer.alloc(200, 0xff)]);
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.zst', data: garbage }),
      'corrupt',
      /data.tar.zst is (not valid zstd data|truncated)/,
    );
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.zst', data: zst.subarray(0, zst.length - 100) }),
      'corrupt',
      /data.tar.zst is truncated/,
    );
  });

  it('refuses a data.tar.zst whose content checksum does not match, as zstd itself does', async () => {
    const tar = await tarOf({ './usr/share/x/blob': randomBytes(300_000) });
    const zst = execFileSync('zstd', ['-q', '-c', '--check'], { input: tar });
    // Random content is stored in raw blocks: a flipped byte there decodes, only the checksum differs.
    zst[zst.length >> 1] = (zst[zst.length >> 1] ?? 0) ^ 0x01;
    expect(() =>
      execFileSync('zstd', ['-q', '-t'], { input: zst, stdio: ['pipe', 'ignore', 'ignore'] }),
    ).toThrow();
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.zst', data: zst }),
      'corrupt',
      /data.tar.zst does not match its zstd checksum/,
    );
  });

  it('refuses a control.tar.zst whose content checksum does not match', async () => {
    const controlTar = await tarOfEntries([
      { name: './md5sums', content: randomBytes(200_000).toString('base64') },
      { name: './control', content: HELLO_CONTROL },
    ]);
    const zst = execFileSync('zstd', ['-q', '-c', '--check'], { input: controlTar });
    zst[zst.length - 2] = (zst[zst.length - 2] ?? 0) ^ 0x01; // inside the 4-byte checksum
    await expectRejection(
      await debWithControlMember('control.tar.zst', zst),
      'corrupt',
      /control.tar.zst does not match its zstd checksum/,
    );
  });

  it('accepts a data.tar.zst made of several frames, with and without checksums', async () => {
    const tar = await tarOf({
      './usr/share/x/blob': randomBytes(300_000),
      './usr/share/x/text': 'a'.repeat(9999),
    });
    const cut = 123_457;
    const zst = Buffer.concat([
      execFileSync('zstd', ['-q', '-c', '--check'], { input: tar.subarray(0, cut) }),
      execFileSync('zstd', ['-q', '-c', '--no-check'], { input: tar.subarray(cut, cut + 1000) }),
      execFileSync('zstd', ['-q', '-c', '--check'], { input: tar.subarray(cut + 1000) }),
    ]);
    for (const size of [1, 4093, 65536]) {
      const pkg = await parseDeb(chunked(await handmadeDeb({ dataName: 'data.tar.zst', data: zst }), size));
      expect(pkg.dataCompression).toBe('zstd');
    }
  });

  it('refuses a compressed data member that decompresses to something other than a tar', async () => {
    const notTar = gzipSync(Buffer.alloc(4096, 0x41));
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: notTar }),
      'corrupt',
      /data.tar.gz is not a valid tar archive/,
    );
    const zst = shellBytes('head -c 4096 /dev/zero | tr "\\0" A | zstd -q -c');
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.zst', data: zst }),
      'corrupt',
      /data.tar.zst is not a valid tar archive/,
    );
  });

  it('refuses a data.tar cut short or without its end-of-archive block', async () => {
    const tar = await dataTar();
    await expectRejection(
      await handmadeDeb({ data: tar.subarray(0, tar.length - 1024) }),
      'corrupt',
      /data.tar ends without a tar end-of-archive block/,
    );
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: gzipSync(tar.subarray(0, 2000)) }),
      'corrupt',
      /data.tar.gz is truncated inside a tar member/,
    );
  });

  it('refuses a data.tar whose later header is damaged', async () => {
    const tar = await tarOf({ './a': 'x'.repeat(600), './b': 'y' });
    tar[512 + 1024 + 10] = 0x5a; // second header's name: checksum now wrong
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: gzipSync(tar) }),
      'corrupt',
      /checksum does not match at byte 1536/,
    );
  });

  it('refuses a data member that expands beyond the bomb bound', async () => {
    const bomb = shellBytes('head -c 33554432 /dev/zero | gzip -1 -c');
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.gz', data: bomb }),
      'corrupt',
      /data.tar.gz decompresses to more than \d+ bytes, which is refused as a decompression bomb/,
      { dataBombFloorBytes: 4 * 1024 * 1024, maxDataRatio: 10 },
    );
  });

  it('refuses bzip2 and lzma data whose bytes do not decompress', async () => {
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.bz2', data: shellBytes('echo hello | bzip2 -c') }),
      'corrupt',
      /uses bzip2/,
    );
    const alone = shellBytes('head -c 20000 /dev/zero | lzma -c');
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.lzma', data: alone.subarray(0, alone.length - 10) }),
      'corrupt',
      /data.tar.lzma is (truncated|not valid lzma data)/,
    );
  });

  it('accepts data.tar written by GNU tar in gnu and posix formats, plain and as lzma', async () => {
    const dir = join(temp.dir, 'tree');
    shellBytes(
      `mkdir -p ${dir}/usr/share/${'long'.repeat(40)} && echo hi > ${dir}/usr/share/${'long'.repeat(40)}/file && ln -s file ${dir}/usr/share/${'long'.repeat(40)}/link`,
    );
    for (const format of ['gnu', 'posix']) {
      const tar = shellBytes(`tar -C ${dir} --format=${format} -cf - ./usr`);
      const pkg = await parseDeb(chunked(await handmadeDeb({ data: tar }), 999));
      expect(pkg.dataCompression).toBe('none');
      const lz = shellBytes(`tar -C ${dir} --format=${format} -cf - ./usr | lzma -c`);
      expect((await parseDeb(chunked(await handmadeDeb({ dataName: 'data.tar.lzma', data: lz })))).name).toBe(
        'pallet-test',
      );
    }
  });
});

describe('debWithControlMember', () => {
  it('still builds packages the parser accepts', async () => {
    const bytes = await debWithControlMember('control.tar', await tarOf({ './control': HELLO_CONTROL }));
    expect((await parseDeb(chunked(bytes))).name).toBe('pallet-test');
  });
});

describe('parseDeb on mutated real packages', () => {
  // A seeded generator, so a failure names a reproducible mutant.
  function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  for (const compression of ['gzip', 'xz', 'zstd', 'none'] as const) {
    it(`answers every mutant of a -Z${compression} package with a result or a DebFormatError`, async () => {
      const original = buildDebWithDpkg(temp.dir, HELLO_CONTROL, compression);
      const random = prng(compression.length * 7919);
      let refused = 0;
      for (let round = 0; round < 80; round++) {
        const mutant = Buffer.from(original);
        const at = Math.floor(random() * mutant.length);
        if (round % 4 === 0) {
          mutant[at] = (mutant[at] ?? 0) ^ (1 << Math.floor(random() * 8));
        } else if (round % 4 === 1) {
          for (let index = at; index < Math.min(at + 16, mutant.length); index++)
            mutant[index] = random() * 256;
        } else if (round % 4 === 2) {
          mutant.write(String(Math.floor(random() * 1e9)).padEnd(10), 8 + 60 + 4 + 48, 'latin1');
        }
        const input = round % 4 === 3 ? mutant.subarray(0, at) : mutant;
        const outcome = await parseDeb(chunked(input, 1 + Math.floor(random() * 5000))).then(
          () => 'accepted',
          (error: unknown) => error,
        );
        if (outcome !== 'accepted') {
          expect(outcome, `mutant ${round}`).toBeInstanceOf(DebFormatError);
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(40);
    });
  }
});

describe('parseDeb answers without waiting for more input', () => {
  it('rejects a bad data.tar while the rest of the upload has not arrived (and may never)', async () => {
    const notTar = Buffer.concat([Buffer.alloc(512, 0x41), randomBytes(1024 * 1024)]);
    const bytes = await handmadeDeb({ dataName: 'data.tar.gz', data: gzipSync(notTar) });
    async function* stalled(): AsyncGenerator<Uint8Array> {
      // Everything up to a little way into data.tar.gz: enough to see it is not a tar.
      yield bytes.subarray(0, bytes.indexOf('data.tar.gz') + 60 + 1500);
      await new Promise(() => undefined); // the client stops sending
    }
    await expect(parseDeb(stalled())).rejects.toThrow(/data.tar.gz is not a valid tar archive/);
  });
});

describe('parseDeb reads relationship and flag fields as dpkg does', () => {
  // Each line is added to a control file; dpkg-deb --build (which parses it with dpkg's own
  // parser) is the oracle for whether the field is valid.
  const lines: Array<[string, string?]> = [
    ['Depends: foo (>= 1.0), bar | baz'],
    ['Depends: foo (>= 1.0'],
    ['Depends: foo (> 1.0)'],
    ['Depends: foo [amd64]'],
    ['Depends: foo <!nocheck>'],
    ['Depends: foo:any, bar:native, baz:amd64'],
    ['Depends: Foo, foo_bar'],
    ['Depends: foo (>= v1)'],
    ['Depends: foo,'],
    ['Depends: foo,,bar'],
    ['Depends: foo (>=1.0), bar(<<2)'],
    ['Depends: foo (>= 1.0) (<< 2)'],
    ['Depends: foo:'],
    ['Depends: foo :any'],
    ['Depends: foo (== 1)'],
    ['Depends: -a'],
    ['Depends: a (>= 1:)'],
    ['Depends: a,\n b (>= 2)\n | c'],
    ['Provides: foo (= 1)'],
    ['Provides: a | b'],
    ['Conflicts: foo | bar'],
    ['Breaks: foo (<< 2), bar:any'],
    ['Enhances: a | b'],
    ['Multi-Arch: maybe'],
    ['Multi-Arch: Same', 'amd64'],
    ['Multi-Arch: same', 'all'],
    ['Essential: perhaps'],
    ['Essential: Yes'],
    ['Protected: no'],
  ];
  const controlOf = (line: string, architecture: string) =>
    `${HELLO_CONTROL.replace('Architecture: amd64', `Architecture: ${architecture}`)}${line}\n`;
  // dpkg-deb's verdict on every line, from one shell that runs it once per line (one spawn from
  // this process instead of one per case).
  const dpkgAccepts: boolean[] = [];
  beforeAll(() => {
    const roots = lines.map(([line, architecture = 'all'], index) => {
      const root = join(temp.dir, `oracle-${index}`);
      mkdirSync(join(root, 'DEBIAN'), { recursive: true });
      writeFileSync(join(root, 'DEBIAN/control'), controlOf(line, architecture));
      return root;
    });
    const verdicts = execFileSync(
      'bash',
      [
        '-c',
        'for r in "$@"; do dpkg-deb -Znone --build "$r" "$r.deb" >/dev/null 2>&1; echo $?; done',
        'oracle',
        ...roots,
      ],
      { encoding: 'utf8' },
    );
    dpkgAccepts.push(
      ...verdicts
        .trim()
        .split('\n')
        .map((status) => status === '0'),
    );
    expect(dpkgAccepts).toHaveLength(lines.length);
  });
  for (const [index, [line, architecture = 'all']] of lines.entries()) {
    it(`agrees with dpkg-deb --build on ${JSON.stringify(line)} (Architecture: ${architecture})`, async () => {
      const ours = await parseDeb(
        chunked(await handmadeDeb({ control: controlOf(line, architecture) })),
      ).then(
        () => 'accepted',
        (error: unknown) => (error instanceof DebFormatError ? 'refused' : error),
      );
      expect(ours).toBe(dpkgAccepts[index] ? 'accepted' : 'refused');
    });
  }
});
