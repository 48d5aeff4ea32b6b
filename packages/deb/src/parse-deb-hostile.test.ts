import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DebFormatError, type DebFormatErrorKind } from './errors';
import { parseDeb } from './parse-deb';
import {
  arArchive,
  arHeader,
  chunked,
  fixture,
  HELLO_CONTROL,
  handmadeDeb,
  shellBytes,
  tarOf,
} from './testing/deb-builders';

async function expectRejection(
  bytes: Uint8Array,
  kind: DebFormatErrorKind,
  message: RegExp,
  limits?: Parameters<typeof parseDeb>[1],
): Promise<DebFormatError> {
  const error = await parseDeb(chunked(bytes, 4096), limits).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DebFormatError);
  const formatError = error as DebFormatError;
  expect(formatError.kind).toBe(kind);
  expect(formatError.message).toMatch(message);
  return formatError;
}

/** A deb whose control.tar is `name` with content `data`, then an uncompressed data.tar. */
async function debWithControlMember(name: string, data: Uint8Array): Promise<Buffer> {
  return arArchive([
    { name: 'debian-binary', data: Buffer.from('2.0\n') },
    { name, data },
    { name: 'data.tar', data: await tarOf({ a: 'b' }) },
  ]);
}

const hello = fixture('hello_2.10-3_amd64.deb');
// Member offsets in hello_2.10-3_amd64.deb (from `ar tv` and the header layout).
const CONTROL_DATA_START = 8 + 60 + 4 + 60;
const DATA_DATA_START = CONTROL_DATA_START + 1868 + 60;

describe('parseDeb refuses what is not a .deb', () => {
  it('rejects an empty input as not_a_deb', async () => {
    await expectRejection(new Uint8Array(0), 'not_a_deb', /not a Debian package/);
  });

  it('rejects garbage as not_a_deb', async () => {
    await expectRejection(Buffer.from('PK\x03\x04 this is a zip file, honest'), 'not_a_deb', /!<arch>/);
  });

  it('rejects an ar magic followed by a garbage header', async () => {
    await expectRejection(Buffer.from(`!<arch>\n${'x'.repeat(80)}`), 'corrupt', /header at byte 8 is malformed/);
  });

  it('rejects a header whose size is not decimal', async () => {
    const bytes = Buffer.concat([Buffer.from('!<arch>\n'), arHeader('debian-binary', 4)]);
    bytes.write('0x4       ', 8 + 48, 'latin1');
    await expectRejection(bytes, 'corrupt', /invalid size field/);
  });

  it('rejects an rpm-like ar archive whose first member is not debian-binary', async () => {
    await expectRejection(arArchive([{ name: 'hello.txt', data: Buffer.from('hi') }]), 'corrupt', /first ar member is hello.txt/);
  });

  it('rejects a .deb of format 1 or 3', async () => {
    const bytes = arArchive([{ name: 'debian-binary', data: Buffer.from('3.0\n') }]);
    await expectRejection(bytes, 'corrupt', /format 3.0/);
  });
});

describe('parseDeb refuses truncated packages', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['inside the global magic', 5, /not a Debian package/],
    ['inside the first header', 30, /header at byte 8 is incomplete/],
    ['inside debian-binary', 8 + 60 + 2, /debian-binary is truncated/],
    ['right after debian-binary', 8 + 60 + 4, /ends before its control.tar/],
    ['inside control.tar', CONTROL_DATA_START + 500, /control.tar.xz is truncated/],
    ['right after control.tar', DATA_DATA_START - 60, /ends before its data.tar/],
    ['inside data.tar', DATA_DATA_START + 10_000, /data.tar.xz is truncated: the member claims \d+ bytes/],
    ['one byte short', hello.length - 1, /data.tar.xz is truncated/],
  ];
  for (const [where, length, message] of cases) {
    it(`rejects a package cut ${where}`, async () => {
      await expectRejection(hello.subarray(0, length), length < 8 ? 'not_a_deb' : 'corrupt', message);
    });
  }

  it('rejects a member that claims more bytes than the file has', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar', data: Buffer.from('tiny'), claimedSize: 9_000_000 },
    ]);
    await expectRejection(bytes, 'corrupt', /control.tar is truncated: the member claims 9000000 bytes but the file ends after 4/);
  });

  it('rejects a compressed control.tar cut short inside the compressed stream', async () => {
    const control = gzipSync(await tarOf({ './control': HELLO_CONTROL }));
    await expectRejection(
      await debWithControlMember('control.tar.gz', control.subarray(0, control.length - 20)),
      'corrupt',
      /control.tar.gz is truncated/,
    );
  });
});

describe('parseDeb refuses malformed structure and control data', () => {
  it('rejects members in the wrong order', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'data.tar', data: await tarOf({ a: 'b' }) },
      { name: 'control.tar', data: await tarOf({ './control': HELLO_CONTROL }) },
    ]);
    await expectRejection(bytes, 'corrupt', /Expected a control.tar member after debian-binary, found data.tar/);
  });

  it('rejects a control.tar with an unsupported compression', async () => {
    await expectRejection(await debWithControlMember('control.tar.bz2', Buffer.from('BZh9')), 'corrupt', /found control.tar.bz2/);
  });

  it('rejects a package without data.tar', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar', data: await tarOf({ './control': HELLO_CONTROL }) },
    ]);
    await expectRejection(bytes, 'corrupt', /ends before its data.tar member/);
  });

  it('rejects a control.tar without a control file', async () => {
    await expectRejection(await debWithControlMember('control.tar', await tarOf({ './md5sums': '' })), 'corrupt', /has no control file/);
  });

  it('rejects a control.tar that is not a tar', async () => {
    await expectRejection(await debWithControlMember('control.tar', Buffer.alloc(1024, 0x41)), 'corrupt', /not a valid tar archive/);
  });

  it('rejects a control.tar.xz holding gzip bytes', async () => {
    const gz = gzipSync(await tarOf({ './control': HELLO_CONTROL }));
    await expectRejection(await debWithControlMember('control.tar.xz', gz), 'corrupt', /control.tar.xz is not valid xz data/);
  });

  it('rejects a control.tar.zst holding garbage', async () => {
    await expectRejection(await debWithControlMember('control.tar.zst', Buffer.alloc(64, 7)), 'corrupt', /not valid zstd data/);
  });

  it('rejects a control file without Package', async () => {
    const control = HELLO_CONTROL.replace('Package: pallet-test\n', '');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /lacks the Package field/);
  });

  it('rejects an invalid Package name', async () => {
    const control = HELLO_CONTROL.replace('Package: pallet-test', 'Package: ../etc');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /Package "..\/etc" is not a valid package name/);
  });

  it('rejects an invalid Version', async () => {
    const control = HELLO_CONTROL.replace('Version: 1.0-1', 'Version: v1.0');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /Version "v1.0" is not valid: version number does not start with digit/);
  });

  it('rejects an Architecture that is not one architecture', async () => {
    const control = HELLO_CONTROL.replace('Architecture: amd64', 'Architecture: amd64 i386');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /Architecture "amd64 i386"/);
  });

  it('rejects a non-integer Installed-Size', async () => {
    const control = HELLO_CONTROL.replace('Architecture: amd64', 'Architecture: amd64\nInstalled-Size: 12kB');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /Installed-Size "12kB" is not an integer/);
  });

  it('rejects a control file that is not deb822', async () => {
    await expectRejection(await handmadeDeb({ control: 'just some text\n' }), 'corrupt', /malformed at line 1/);
  });

  it('rejects a control file with two stanzas', async () => {
    await expectRejection(await handmadeDeb({ control: `${HELLO_CONTROL}\nPackage: other\n` }), 'corrupt', /more than one stanza/);
  });

  it('rejects a control file that is not UTF-8', async () => {
    const control = Buffer.concat([Buffer.from(HELLO_CONTROL), Buffer.from([0x4d, 0x3a, 0x20, 0xff, 0x0a])]);
    const bytes = await debWithControlMember('control.tar', await tarOf({ './control': control }));
    await expectRejection(bytes, 'corrupt', /not valid UTF-8/);
  });

  it('rejects a data.tar.xz that holds gzip bytes', async () => {
    const data = gzipSync(await tarOf({ a: 'b' }));
    await expectRejection(await handmadeDeb({ dataName: 'data.tar.xz', data }), 'corrupt', /data.tar.xz does not contain xz data/);
  });

  it('rejects a data.tar that is not a tar', async () => {
    await expectRejection(await handmadeDeb({ data: Buffer.alloc(600, 0x20) }), 'corrupt', /data.tar does not contain tar data/);
  });

  it('rejects a data member with an unknown compression', async () => {
    await expectRejection(await handmadeDeb({ dataName: 'data.tar.lz4', data: Buffer.from('x') }), 'corrupt', /found data.tar.lz4/);
  });

  it('rejects garbage after data.tar that is not an ar member', async () => {
    const bytes = Buffer.concat([await handmadeDeb(), Buffer.from('trailing garbage that is not a header at all, no sir........')]);
    await expectRejection(bytes, 'corrupt', /malformed/);
  });
});

describe('parseDeb bounds memory on hostile control.tar', () => {
  const limits = { maxControlTarBytes: 1024 * 1024, maxControlBytes: 64 * 1024 };

  it('rejects a stored control.tar over the limit before reading it', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar.gz', data: Buffer.alloc(16), claimedSize: 2 * 1024 * 1024 },
    ]);
    await expectRejection(bytes, 'corrupt', /control.tar.gz is larger than the 1048576-byte limit/, limits);
  });

  it('stops a gzip bomb during decompression', async () => {
    // 64 concatenated gzip members of 16 MiB of zeros: ~1 GiB once decompressed, ~1 MiB stored.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const started = performance.now();
    await expectRejection(await debWithControlMember('control.tar.gz', bomb), 'corrupt', /decompresses to more than/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('stops an xz bomb during decompression', async () => {
    const bomb = shellBytes('head -c 67108864 /dev/zero | xz -1 -T1 -c');
    expect(bomb.length).toBeLessThan(64 * 1024);
    const started = performance.now();
    await expectRejection(await debWithControlMember('control.tar.xz', bomb), 'corrupt', /decompresses to more than the 1048576-byte limit/, limits);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('stops a zstd bomb during decompression', async () => {
    const bomb = shellBytes('head -c 268435456 /dev/zero | zstd -q -c');
    const started = performance.now();
    await expectRejection(await debWithControlMember('control.tar.zst', bomb), 'corrupt', /decompresses to more than/, limits);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a zstd frame that declares a huge window before allocating it', async () => {
    // Frame header: magic, descriptor (no single segment), window byte 0xF8 = 2 GiB window.
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 0x01, 0x00, 0x00, 0x00]);
    await expectRejection(await debWithControlMember('control.tar.zst', frame), 'corrupt', /decompresses to more than/);
  });

  it('refuses a control file over its own limit', async () => {
    const control = `${HELLO_CONTROL}X-Padding: ${'a'.repeat(100_000)}\n`;
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /control file is larger than the 65536-byte limit/, limits);
  });
});

describe('parseDeb and its input', () => {
  it('passes an I/O failure of the input through unchanged', async () => {
    const failure = new Error('socket hang up');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield hello.subarray(0, 1000);
      throw failure;
    }
    await expect(parseDeb(failing())).rejects.toBe(failure);
  });

  it('closes the input when it rejects a package', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from('not a deb at all');
        yield Buffer.from('more');
      } finally {
        closed = true;
      }
    }
    await expect(parseDeb(source())).rejects.toBeInstanceOf(DebFormatError);
    expect(closed).toBe(true);
  });

  it('never throws anything but DebFormatError on random bytes', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.from(hello);
      for (let flips = 0; flips < 1 + Math.floor(random() * 8); flips++) {
        bytes[Math.floor(random() * 3000)] = Math.floor(random() * 256);
      }
      await parseDeb(chunked(bytes, 4096)).catch((error: unknown) => {
        expect(error).toBeInstanceOf(DebFormatError);
      });
    }
  });
});
