import { gzipSync } from 'node:zlib';
import { describe, it } from 'vitest';
import { arArchive, arHeader, fixture, HELLO_CONTROL, handmadeDeb, tarOf } from './testing/deb-builders';
import { debWithControlMember, expectRejection } from './testing/expect-deb-error';

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
    await expectRejection(
      Buffer.from(`!<arch>\n${'x'.repeat(80)}`),
      'corrupt',
      /header at byte 8 is malformed/,
    );
  });

  it('rejects a header whose size is not decimal', async () => {
    const bytes = Buffer.concat([Buffer.from('!<arch>\n'), arHeader('debian-binary', 4)]);
    bytes.write('0x4       ', 8 + 48, 'latin1');
    await expectRejection(bytes, 'corrupt', /invalid size field/);
  });

  it('rejects an rpm-like ar archive whose first member is not debian-binary', async () => {
    await expectRejection(
      arArchive([{ name: 'hello.txt', data: Buffer.from('hi') }]),
      'corrupt',
      /first ar member is hello.txt/,
    );
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
    await expectRejection(
      bytes,
      'corrupt',
      /control.tar is truncated: the member claims 9000000 bytes but the file ends after 4/,
    );
  });

  it('rejects a control.tar.xz whose xz stream is cut short inside a complete member', async () => {
    const controlXz = hello.subarray(CONTROL_DATA_START, CONTROL_DATA_START + 1868);
    await expectRejection(
      await debWithControlMember('control.tar.xz', controlXz.subarray(0, 1000)),
      'corrupt',
      /^control.tar.xz is truncated\.$/,
    );
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
    await expectRejection(
      bytes,
      'corrupt',
      /Expected a control.tar member after debian-binary, found data.tar/,
    );
  });

  it('rejects a control.tar with an unsupported compression', async () => {
    await expectRejection(
      await debWithControlMember('control.tar.bz2', Buffer.from('BZh9')),
      'corrupt',
      /found control.tar.bz2/,
    );
  });

  it('rejects a package without data.tar', async () => {
    const bytes = arArchive([
      { name: 'debian-binary', data: Buffer.from('2.0\n') },
      { name: 'control.tar', data: await tarOf({ './control': HELLO_CONTROL }) },
    ]);
    await expectRejection(bytes, 'corrupt', /ends before its data.tar member/);
  });

  it('rejects a control.tar without a control file', async () => {
    await expectRejection(
      await debWithControlMember('control.tar', await tarOf({ './md5sums': '' })),
      'corrupt',
      /has no control file/,
    );
  });

  it('rejects a control.tar that is not a tar', async () => {
    await expectRejection(
      await debWithControlMember('control.tar', Buffer.alloc(1024, 0x41)),
      'corrupt',
      /not a valid tar archive/,
    );
  });

  it('rejects a control.tar.xz holding gzip bytes', async () => {
    const gz = gzipSync(await tarOf({ './control': HELLO_CONTROL }));
    await expectRejection(
      await debWithControlMember('control.tar.xz', gz),
      'corrupt',
      /control.tar.xz is not valid xz data/,
    );
  });

  it('rejects a control.tar.zst holding garbage', async () => {
    await expectRejection(
      await debWithControlMember('control.tar.zst', Buffer.alloc(64, 7)),
      'corrupt',
      /not valid zstd data/,
    );
  });

  it('rejects a control file without Package', async () => {
    const control = HELLO_CONTROL.replace('Package: pallet-test\n', '');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /lacks the Package field/);
  });

  it('rejects an invalid Package name', async () => {
    const control = HELLO_CONTROL.replace('Package: pallet-test', 'Package: ../etc');
    await expectRejection(
      await handmadeDeb({ control }),
      'corrupt',
      /Package "..\/etc" is not a valid package name/,
    );
  });

  it('rejects an invalid Version', async () => {
    const control = HELLO_CONTROL.replace('Version: 1.0-1', 'Version: v1.0');
    await expectRejection(
      await handmadeDeb({ control }),
      'corrupt',
      /Version "v1.0" is not valid: version number does not start with digit/,
    );
  });

  it('rejects an Architecture that is not one architecture', async () => {
    const control = HELLO_CONTROL.replace('Architecture: amd64', 'Architecture: amd64 i386');
    await expectRejection(await handmadeDeb({ control }), 'corrupt', /Architecture "amd64 i386"/);
  });

  it('rejects a non-integer Installed-Size', async () => {
    const control = HELLO_CONTROL.replace('Architecture: amd64', 'Architecture: amd64\nInstalled-Size: 12kB');
    await expectRejection(
      await handmadeDeb({ control }),
      'corrupt',
      /Installed-Size "12kB" is not an integer/,
    );
  });

  it('rejects a control file that is not deb822', async () => {
    await expectRejection(
      await handmadeDeb({ control: 'just some text\n' }),
      'corrupt',
      /malformed at line 1/,
    );
  });

  it('rejects a control file with two stanzas', async () => {
    await expectRejection(
      await handmadeDeb({ control: `${HELLO_CONTROL}\nPackage: other\n` }),
      'corrupt',
      /more than one stanza/,
    );
  });

  it('rejects a control file that is not UTF-8', async () => {
    const control = Buffer.concat([Buffer.from(HELLO_CONTROL), Buffer.from([0x4d, 0x3a, 0x20, 0xff, 0x0a])]);
    const bytes = await debWithControlMember('control.tar', await tarOf({ './control': control }));
    await expectRejection(bytes, 'corrupt', /not valid UTF-8/);
  });

  it('rejects a data.tar.xz that holds gzip bytes', async () => {
    const data = gzipSync(await tarOf({ a: 'b' }));
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.xz', data }),
      'corrupt',
      /data.tar.xz does not contain xz data/,
    );
  });

  it('rejects a data.tar that is not a tar', async () => {
    await expectRejection(
      await handmadeDeb({ data: Buffer.alloc(600, 0x20) }),
      'corrupt',
      /data.tar does not contain tar data/,
    );
  });

  it('rejects a data member with an unknown compression', async () => {
    await expectRejection(
      await handmadeDeb({ dataName: 'data.tar.lz4', data: Buffer.from('x') }),
      'corrupt',
      /found data.tar.lz4/,
    );
  });

  it('rejects garbage after data.tar that is not an ar member', async () => {
    const bytes = Buffer.concat([
      await handmadeDeb(),
      Buffer.from('trailing garbage that is not a header at all, no sir........'),
    ]);
    await expectRejection(bytes, 'corrupt', /malformed/);
  });
});
