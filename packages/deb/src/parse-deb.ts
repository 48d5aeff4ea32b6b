// Streaming .deb reader: walks the ar members once, buffers only control.tar (bounded), checks
// data.tar's magic while passing its bytes through, and returns the validated control fields.
import {
  type ArMemberHeader,
  readArMagic,
  readArMemberData,
  readArMemberHeader,
  skipArPadding,
  streamArMemberData,
  truncatedMember,
} from './ar-archive';
import { ByteReader } from './byte-reader';
import {
  compressionFromMemberName,
  type DebCompression,
  hasCompressionMagic,
  MAGIC_PROBE_LENGTH,
} from './compression';
import { type ControlMetadata, readControlMetadata } from './control-fields';
import { readControlFromTar } from './control-tar';
import { copyrightPath, MAX_COPYRIGHT_BYTES, parseCopyrightLicenses } from './copyright';
import { assertWritableField, Deb822SyntaxError, type DebField, parseDeb822 } from './deb822';
import { decompressBounded } from './decompress-bounded';
import { decompressStream } from './decompress-stream';
import { corrupt, DebFormatError } from './errors';
import { extractionPath, type TarDataSink, type TarEntry, TarWalker } from './tar-walker';

export interface DebParseLimits {
  /** Bound on control.tar, both as stored and once decompressed. Default 16 MiB. */
  maxControlTarBytes?: number;
  /** Bound on the control file inside control.tar. Default 1 MiB. */
  maxControlBytes?: number;
  /**
   * data.tar may decompress to at most max(dataBombFloorBytes, maxDataRatio × its compressed
   * size); beyond that it is refused as a decompression bomb. Defaults 256 MiB and 200.
   */
  dataBombFloorBytes?: number;
  maxDataRatio?: number;
}

export interface DebPackage extends ControlMetadata {
  /** Control-file fields in file order, original spelling; values as described in deb822.ts. */
  fields: DebField[];
  controlCompression: DebCompression;
  dataCompression: DebCompression;
  /**
   * License expressions of `usr/share/doc/<package>/copyright` in DEP-5 short-name syntax, when that
   * file is a regular file in data.tar in the machine-readable format; absent otherwise.
   */
  copyrightLicenses?: string[];
}

const CONTROL_COMPRESSIONS: readonly DebCompression[] = ['none', 'gzip', 'xz', 'zstd'];
const DATA_COMPRESSIONS: readonly DebCompression[] = ['none', 'gzip', 'xz', 'bzip2', 'lzma', 'zstd'];
const MAX_DEBIAN_BINARY_BYTES = 4096;
// ignoreBOM keeps a byte-order mark in the text: dpkg reads it as part of the first field name.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function nextMember(reader: ByteReader, expected: string): Promise<ArMemberHeader> {
  const member = await readArMemberHeader(reader);
  if (!member) throw corrupt(`The package ends before its ${expected} member.`);
  return member;
}

/** Next member that is not an ignorable `_…` member (e.g. debsigs signatures). */
async function nextSignificantMember(reader: ByteReader, expected: string): Promise<ArMemberHeader> {
  for (;;) {
    const member = await nextMember(reader, expected);
    if (!member.name.startsWith('_')) return member;
    await streamArMemberData(reader, member, () => undefined);
  }
}

async function readDebianBinary(reader: ByteReader): Promise<void> {
  const member = await nextMember(reader, 'debian-binary');
  if (member.name !== 'debian-binary') {
    throw corrupt(`The first ar member is ${member.name}, not debian-binary.`);
  }
  if (member.size > MAX_DEBIAN_BINARY_BYTES) throw corrupt('The debian-binary member is implausibly large.');
  const text = new TextDecoder('latin1').decode(await readArMemberData(reader, member));
  const match = /^(\d+)\.\d+/.exec(text);
  if (!match) throw corrupt('The debian-binary member does not hold a format version.');
  if (match[1] !== '2')
    throw corrupt(`The package uses .deb format ${match[0]}; only format 2.x is supported.`);
}

async function readControlMember(
  reader: ByteReader,
  maxControlTarBytes: number,
): Promise<{ name: string; compression: DebCompression; data: Uint8Array }> {
  const member = await nextSignificantMember(reader, 'control.tar');
  const compression = compressionFromMemberName(member.name, 'control.tar', CONTROL_COMPRESSIONS);
  if (!compression) throw corrupt(`Expected a control.tar member after debian-binary, found ${member.name}.`);
  if (member.size > maxControlTarBytes) {
    throw corrupt(`${member.name} is larger than the ${maxControlTarBytes}-byte limit.`);
  }
  return { name: member.name, compression, data: await readArMemberData(reader, member) };
}

// dpkg refuses these in a control file; Pallet also refuses what it could not store or publish
// verbatim (NUL, escape codes, CR), so a control file is accepted only as dpkg would read it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function parseControlText(bytes: Uint8Array): DebField[] {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw corrupt('The control file is not valid UTF-8.');
  }
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw corrupt(`The control file contains the control character ${code}.`);
  }
  const comment = text.split('\n').findIndex((line) => line.startsWith('#'));
  if (comment >= 0)
    throw corrupt(`The control file is malformed at line ${comment + 1}: dpkg allows no comments there.`);
  let stanzas: DebField[][];
  try {
    stanzas = parseDeb822(text);
  } catch (error) {
    if (error instanceof Deb822SyntaxError)
      throw corrupt(`The control file is malformed at ${error.message}.`);
    throw error;
  }
  if (stanzas.length === 0) throw corrupt('The control file is empty.');
  if (stanzas.length > 1) throw corrupt('The control file holds more than one stanza.');
  const fields = stanzas[0] as DebField[];
  for (const field of fields) {
    try {
      assertWritableField(field);
    } catch {
      throw corrupt(`The control file's field ${JSON.stringify(field[0])} cannot be published as written.`);
    }
  }
  return fields;
}

/**
 * Collects one regular file of data.tar (the copyright file) as the tar streams by, up to a bound;
 * the last entry of that name wins, as when the archive is extracted.
 */
function fileCollector(wanted: string, maxBytes: number) {
  let parts: Uint8Array[] | undefined;
  let size = 0;
  return {
    onEntry(entry: TarEntry): TarDataSink {
      if (extractionPath(entry.path) !== wanted) return undefined;
      parts = undefined;
      if (entry.kind !== 'file' || entry.size > maxBytes) return undefined;
      const collected: Uint8Array[] = [];
      parts = collected;
      size = entry.size;
      return (bytes) => {
        collected.push(bytes.slice());
      };
    },
    bytes(): Uint8Array | undefined {
      return parts ? Buffer.concat(parts, size) : undefined;
    },
  };
}

function copyrightLicensesOf(bytes: Uint8Array | undefined): string[] | undefined {
  if (!bytes) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return parseCopyrightLicenses(text);
}

/**
 * Checks data.tar while it streams: its first bytes must match its compression, it must
 * decompress without error to its end, within the bomb bound, and hold a valid tar. Picks out the
 * package's copyright file on the way.
 */
async function checkDataMember(
  reader: ByteReader,
  limits: Required<DebParseLimits>,
  packageName: string,
): Promise<{ compression: DebCompression; copyrightLicenses?: string[] }> {
  const member = await nextSignificantMember(reader, 'data.tar');
  const named = compressionFromMemberName(member.name, 'data.tar', DATA_COMPRESSIONS);
  if (!named) throw corrupt(`Expected a data.tar member after control.tar, found ${member.name}.`);
  const compression: DebCompression = named;
  let got = 0;
  let head = new Uint8Array(0);
  async function* memberBytes(): AsyncGenerator<Uint8Array> {
    for await (const bytes of reader.chunks(member.size)) {
      if (head.length < MAGIC_PROBE_LENGTH) {
        head = Buffer.concat([head, bytes.subarray(0, MAGIC_PROBE_LENGTH - head.length)]);
        if (
          head.length >= Math.min(member.size, MAGIC_PROBE_LENGTH) &&
          !hasCompressionMagic(head, compression)
        ) {
          const what = compression === 'none' ? 'tar' : compression;
          throw corrupt(`${member.name} does not contain ${what} data.`);
        }
      }
      got += bytes.length;
      yield bytes;
    }
    if (got < member.size) throw truncatedMember(member, got);
  }
  const copyright = fileCollector(copyrightPath(packageName), MAX_COPYRIGHT_BYTES);
  const walker = new TarWalker(member.name, (entry) => copyright.onEntry(entry));
  const maxOutput = Math.max(limits.dataBombFloorBytes, limits.maxDataRatio * member.size);
  for await (const bytes of decompressStream(memberBytes(), compression, maxOutput, member.name)) {
    walker.push(bytes);
  }
  walker.end();
  // A compressed stream that ends before the member does leaves bytes no reader would look at.
  if (got < member.size) throw corrupt(`${member.name} has data after the end of its compressed stream.`);
  await skipArPadding(reader, member);
  const copyrightLicenses = copyrightLicensesOf(copyright.bytes());
  return copyrightLicenses ? { compression, copyrightLicenses } : { compression };
}

async function skipTrailingMembers(reader: ByteReader): Promise<void> {
  for (let member = await readArMemberHeader(reader); member; member = await readArMemberHeader(reader)) {
    await streamArMemberData(reader, member, () => undefined);
  }
}

async function readDeb(reader: ByteReader, limits: Required<DebParseLimits>): Promise<DebPackage> {
  await readArMagic(reader);
  await readDebianBinary(reader);
  const control = await readControlMember(reader, limits.maxControlTarBytes);
  const tarBytes = await decompressBounded(
    control.data,
    control.compression,
    limits.maxControlTarBytes,
    control.name,
  );
  const fields = parseControlText(readControlFromTar(tarBytes, limits.maxControlBytes, control.name));
  const metadata = readControlMetadata(fields);
  const data = await checkDataMember(reader, limits, metadata.name);
  await skipTrailingMembers(reader);
  return {
    ...metadata,
    fields,
    controlCompression: control.compression,
    dataCompression: data.compression,
    ...(data.copyrightLicenses ? { copyrightLicenses: data.copyrightLicenses } : {}),
  };
}

/**
 * Parses a .deb from its bytes, consuming `input` once in constant memory. Throws DebFormatError
 * (`not_a_deb` or `corrupt`) for any bad input; on error the input is closed, not drained.
 */
export async function parseDeb(
  input: AsyncIterable<Uint8Array>,
  limits: DebParseLimits = {},
): Promise<DebPackage> {
  const reader = new ByteReader(input);
  try {
    return await readDeb(reader, {
      maxControlTarBytes: limits.maxControlTarBytes ?? 16 * 1024 * 1024,
      maxControlBytes: limits.maxControlBytes ?? 1024 * 1024,
      dataBombFloorBytes: limits.dataBombFloorBytes ?? 256 * 1024 * 1024,
      maxDataRatio: limits.maxDataRatio ?? 200,
    });
  } catch (error) {
    // Not awaited: data.tar's decompressor reads ahead, so a read may be pending on the input, and
    // closing it waits for that read; the caller learns of the problem now, not at the next chunk.
    void reader.close().catch(() => undefined);
    // Failures of the input itself (e.g. a dropped upload) are the caller's, not a format error.
    if (error instanceof DebFormatError || (error !== undefined && error === reader.sourceError)) throw error;
    throw corrupt('The package could not be read.');
  }
}
