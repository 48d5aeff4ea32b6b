import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpmFormatError } from './errors';
import { parseRpm } from './parse-rpm';
import { HeaderType, Tag } from './tags';
import { buildTestRpms, bytesChunks, type TestRpms } from './test-support/rpm-fixtures';
import { BASIC_MAIN, int32, mainHeaderOffset, str, strArray, synthRpm } from './test-support/synthetic-rpm';

let rpms: TestRpms;
let real: Uint8Array;
beforeAll(() => {
  rpms = buildTestRpms();
  real = new Uint8Array(readFileSync(rpms.noarch));
});
afterAll(() => rpms?.cleanup());

async function failure(bytes: Uint8Array, limits?: Parameters<typeof parseRpm>[1]): Promise<RpmFormatError> {
  try {
    await parseRpm(bytesChunks(bytes, 64), limits);
  } catch (err) {
    if (err instanceof RpmFormatError) return err;
    throw err;
  }
  throw new Error('parseRpm accepted the input');
}

function patched(bytes: Uint8Array, at: number, write: (dv: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  write(new DataView(copy.buffer, at));
  return copy;
}

describe('parseRpm on hostile input', () => {
  it('calls an empty file, text and a .deb "not an rpm"', async () => {
    for (const input of [
      new Uint8Array(0),
      new TextEncoder().encode('hello world'),
      new TextEncoder().encode('!<arch>\n'),
    ]) {
      const err = await failure(input);
      expect(err.kind).toBe('not_an_rpm');
    }
    expect((await failure(new Uint8Array(0))).message).toBe('The file is empty.');
  });

  it('rejects files truncated in the lead, signature header, main header and payload', async () => {
    const main = mainHeaderOffset(real);
    const cases: Array<[number, string]> = [
      [2, 'The file ends inside the 96-byte lead.'],
      [50, 'The file ends inside the 96-byte lead.'],
      [100, 'The file ends inside the signature header intro.'],
      [200, 'The file ends inside the signature header.'],
      [main + 8, 'The file ends inside the main header intro.'],
      [main + 400, 'The file ends inside the main header.'],
    ];
    for (const [length, message] of cases) {
      const err = await failure(real.subarray(0, length));
      expect([err.kind, err.message]).toEqual(['corrupt', message]);
    }
    const payloadCut = await failure(real.subarray(0, real.length - 10));
    expect(payloadCut.message).toMatch(/^The file is truncated: the payload has \d+ of \d+ bytes\.$/);
    const longer = new Uint8Array(real.length + 5);
    longer.set(real);
    expect((await failure(longer)).message).toBe('The file is longer than its signature header SIZE says.');
  });

  it('rejects huge index counts and headers over the size limit', async () => {
    const huge = patched(real, 96 + 8, (dv) => dv.setUint32(0, 0x7fffffff));
    expect((await failure(huge)).message).toBe(
      'The signature header declares 2147483647 index entries, more than the limit of 65536.',
    );
    expect((await failure(real, { maxHeaderBytes: 1000 })).message).toMatch(
      /^The signature header declares \d+ bytes of index and data, more than the limit of 1000\.$/,
    );
    const bigData = patched(real, mainHeaderOffset(real) + 12, (dv) => dv.setUint32(0, 0xffffffff));
    expect((await failure(bigData)).message).toMatch(
      /^The main header declares \d+ bytes .* limit of 33554432\.$/,
    );
  });

  it('rejects bad header magic, offsets outside the data, a wrong region trailer and overlaps', async () => {
    const main = mainHeaderOffset(real);
    expect((await failure(patched(real, main, (dv) => dv.setUint8(0, 0)))).message).toBe(
      'The main header does not start with the rpm header magic.',
    );
    const outside = patched(real, main + 16 + 16 * 3 + 8, (dv) => dv.setInt32(0, 0x100000));
    expect((await failure(outside)).message).toMatch(/^The main header tag \d+ points outside the data area/);
    const negative = patched(real, main + 16 + 16 * 3 + 8, (dv) => dv.setInt32(0, -4));
    expect((await failure(negative)).message).toMatch(/points outside the data area \(offset -4\)\.$/);
    const sigDl = new DataView(real.buffer, real.byteOffset).getUint32(96 + 12);
    const sigIl = new DataView(real.buffer, real.byteOffset).getUint32(96 + 8);
    const trailerAt = 96 + 16 + 16 * sigIl + sigDl - 16;
    expect((await failure(patched(real, trailerAt, (dv) => dv.setUint32(0, 61 + 1000)))).message).toBe(
      'The signature header region trailer is wrong (tag 1061, type 7).',
    );
    expect((await failure(patched(real, trailerAt + 8, (dv) => dv.setInt32(0, -32)))).message).toBe(
      `The signature header region does not cover all ${sigIl} index entries.`,
    );
    const noRegion = patched(real, main + 16, (dv) => dv.setUint32(0, 1000));
    expect((await failure(noRegion)).message).toBe(
      'The main header does not start with its region tag 63 (found tag 1000).',
    );
  });

  it('rejects damaged header bytes and payload through their SHA-256 digests', async () => {
    const main = mainHeaderOffset(real);
    const idx = real.indexOf(0x64 /* d */, main + 2000);
    expect((await failure(patched(real, idx, (dv) => dv.setUint8(0, 0x65)))).message).toBe(
      'The main header does not match its SHA-256 digest.',
    );
    expect(
      (await failure(patched(real, real.length - 20, (dv) => dv.setUint8(0, dv.getUint8(0) ^ 1)))).message,
    ).toBe('The payload does not match its SHA-256 digest.');
  });

  it('explains structural errors inside the main header', async () => {
    const withMain = (extra: Parameters<typeof synthRpm>[0]) => failure(synthRpm([...BASIC_MAIN, ...extra]));
    expect((await failure(synthRpm(BASIC_MAIN.filter((v) => v.tag !== Tag.NAME)))).message).toBe(
      'The main header has no NAME.',
    );
    expect((await failure(synthRpm(BASIC_MAIN.filter((v) => v.tag !== Tag.ARCH)))).message).toBe(
      'The main header has no ARCH.',
    );
    const intName = [int32(Tag.NAME, [1]), ...BASIC_MAIN.filter((v) => v.tag !== Tag.NAME)];
    expect((await failure(synthRpm(intName))).message).toBe(
      'The main header tag 1000 has data type 4, expected a string.',
    );
    const unterminated = {
      tag: Tag.PAYLOADCOMPRESSOR,
      type: HeaderType.STRING,
      count: 1,
      data: new TextEncoder().encode('http://x'),
    };
    expect((await withMain([unterminated])).message).toBe(
      'In the main header tag 1125 a string is not NUL-terminated inside the data.',
    );
    const twoStrings = { ...str(Tag.URL, 'a'), count: 2 };
    expect((await withMain([twoStrings])).message).toBe(
      'In the main header tag 1020 a STRING value has count 2 instead of 1.',
    );
    expect(
      (await withMain([strArray(Tag.PROVIDENAME, ['a', 'b']), int32(Tag.PROVIDEFLAGS, [0])])).message,
    ).toBe('The main header PROVIDE arrays have different lengths (2, 1, 2).');
    const files = [
      strArray(Tag.BASENAMES, ['a']),
      strArray(Tag.DIRNAMES, ['/x/']),
      int32(Tag.DIRINDEXES, [3]),
    ];
    expect((await withMain(files)).message).toBe(
      'The main header file 0 has a directory index outside DIRNAMES.',
    );
    const unknownType = { tag: Tag.URL, type: 17, count: 1, data: new Uint8Array(1) };
    expect((await withMain([unknownType])).message).toBe(
      'The main header tag 1020 has unknown data type 17.',
    );
  });

  it('rejects misaligned integers and overlapping entries', async () => {
    const bytes = synthRpm([...BASIC_MAIN, int32(Tag.BUILDTIME, [1])]);
    const main = mainHeaderOffset(bytes);
    const dv = new DataView(bytes.buffer);
    const entryOf = (tag: number) => {
      for (let at = main + 32; ; at += 16) if (dv.getUint32(at) === tag) return at;
    };
    const buildTime = dv.getInt32(entryOf(Tag.BUILDTIME) + 8);
    const misaligned = patched(bytes, entryOf(Tag.BUILDTIME) + 8, (v) => v.setInt32(0, buildTime + 2));
    expect((await failure(misaligned)).message).toBe(
      'The main header tag 1006 value is not aligned to 4 bytes.',
    );
    const overlap = patched(bytes, entryOf(Tag.ARCH) + 8, (v) => v.setInt32(0, buildTime));
    expect((await failure(overlap)).message).toBe(
      'The main header tag 1022 overlaps the data of the previous entry.',
    );
  });

  it('never throws anything but RpmFormatError on randomly damaged headers', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const headEnd = mainHeaderOffset(real) + 2000;
    for (let i = 0; i < 300; i++) {
      const copy = real.slice();
      for (let j = 0; j < 1 + (i % 4); j++) copy[4 + (random() % headEnd)] = random() & 0xff;
      await parseRpm(bytesChunks(copy, 4096)).catch((err: unknown) => {
        expect(err).toBeInstanceOf(RpmFormatError);
      });
    }
  });

  it('streams a large payload in constant memory', async () => {
    const chunk = new Uint8Array(1 << 20);
    const chunks = 256;
    const head = synthRpm(BASIC_MAIN, new Uint8Array(0));
    // Fix SIZE in the signature header to cover the streamed payload.
    const main = mainHeaderOffset(head);
    const sizeAt = 96 + 16 + 16 * 2;
    const dv = new DataView(head.buffer);
    dv.setUint32(sizeAt, head.length - main + chunk.length * chunks);
    async function* stream() {
      yield head;
      for (let i = 0; i < chunks; i++) yield chunk;
    }
    const before = process.memoryUsage().arrayBuffers;
    const pkg = await parseRpm(stream());
    expect(pkg.fileSize).toBe(head.length + chunk.length * chunks);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 << 20);
  });
});
