import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DebFormatError } from './errors';
import { parseDeb } from './parse-deb';
import { arArchive, chunked, fixture, HELLO_CONTROL, handmadeDeb, shellBytes } from './testing/deb-builders';
import { debWithControlMember, expectRejection } from './testing/expect-deb-error';

const hello = fixture('hello_2.10-3_amd64.deb');

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
    await expectRejection(
      await debWithControlMember('control.tar.gz', bomb),
      'corrupt',
      /decompresses to more than/,
    );
  });

  it('stops an xz bomb during decompression', async () => {
    const bomb = shellBytes('head -c 67108864 /dev/zero | xz -1 -T1 -c');
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectRejection(
      await debWithControlMember('control.tar.xz', bomb),
      'corrupt',
      /decompresses to more than the 1048576-byte limit/,
      limits,
    );
  });

  it('stops a zstd bomb during decompression', async () => {
    const bomb = shellBytes('head -c 268435456 /dev/zero | zstd -q -c');
    await expectRejection(
      await debWithControlMember('control.tar.zst', bomb),
      'corrupt',
      /decompresses to more than/,
      limits,
    );
  });

  it('refuses a zstd frame that declares a huge window before allocating it', async () => {
    // Frame header: magic, descriptor (no single segment), window byte 0xF8 = 2 GiB window.
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 0x01, 0x00, 0x00, 0x00]);
    await expectRejection(
      await debWithControlMember('control.tar.zst', frame),
      'corrupt',
      /decompresses to more than/,
    );
  });

  it('refuses a control file over its own limit', async () => {
    const control = `${HELLO_CONTROL}X-Padding: ${'a'.repeat(100_000)}\n`;
    await expectRejection(
      await handmadeDeb({ control }),
      'corrupt',
      /control file is larger than the 65536-byte limit/,
      limits,
    );
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
