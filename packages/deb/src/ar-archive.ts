// The ar container of a .deb (deb(5)): global magic, 60-byte member headers and even padding,
// read from a ByteReader so member data can be streamed instead of buffered.
import type { ByteReader } from './byte-reader';
import { corrupt, DebFormatError } from './errors';

export const AR_MAGIC = '!<arch>\n';
const HEADER_LENGTH = 60;
const latin1 = new TextDecoder('latin1');

export interface ArMemberHeader {
  name: string;
  size: number;
}

/** Reads and checks the global `!<arch>\n` magic. */
export async function readArMagic(reader: ByteReader): Promise<void> {
  const magic = await reader.read(AR_MAGIC.length);
  if (latin1.decode(magic) !== AR_MAGIC) {
    throw new DebFormatError(
      'not_a_deb',
      'The file is not a Debian package (it does not start with "!<arch>").',
    );
  }
}

/** Parses one 60-byte member header; throws a `corrupt` error naming what is wrong. */
export function parseArMemberHeader(bytes: Uint8Array, offset: number): ArMemberHeader {
  const text = latin1.decode(bytes);
  if (bytes.length < HEADER_LENGTH) {
    throw corrupt(`The package is truncated: an ar member header at byte ${offset} is incomplete.`);
  }
  if (text.slice(58, 60) !== '`\n') {
    throw corrupt(`The ar member header at byte ${offset} is malformed (missing terminator).`);
  }
  const name = text.slice(0, 16).trimEnd().replace(/\/$/, '');
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw corrupt(`The ar member header at byte ${offset} has an invalid member name.`);
  }
  const sizeText = text.slice(48, 58).trimEnd();
  if (!/^\d+$/.test(sizeText)) {
    throw corrupt(`The ar member ${name} has an invalid size field ${JSON.stringify(sizeText)}.`);
  }
  return { name, size: Number(sizeText) };
}

/** Reads the next member header, or returns undefined at a clean end of the archive. */
export async function readArMemberHeader(reader: ByteReader): Promise<ArMemberHeader | undefined> {
  if (await reader.atEnd()) return undefined;
  const offset = reader.position;
  return parseArMemberHeader(await reader.read(HEADER_LENGTH), offset);
}

export function truncatedMember(member: ArMemberHeader, got: number): DebFormatError {
  return corrupt(
    `${member.name} is truncated: the member claims ${member.size} bytes but the file ends after ${got}.`,
  );
}

/** Reads a whole member into memory (callers bound `member.size` first). */
export async function readArMemberData(reader: ByteReader, member: ArMemberHeader): Promise<Uint8Array> {
  const data = await reader.read(member.size);
  if (data.length < member.size) throw truncatedMember(member, data.length);
  await skipArPadding(reader, member);
  return data;
}

/** Streams a member's data to `onChunk` without buffering it. */
export async function streamArMemberData(
  reader: ByteReader,
  member: ArMemberHeader,
  onChunk: (bytes: Uint8Array) => void,
): Promise<void> {
  const got = await reader.forEach(member.size, onChunk);
  if (got < member.size) throw truncatedMember(member, got);
  await skipArPadding(reader, member);
}

// Odd-sized members are followed by one "\n". A last member may lack it at the very end of the
// file (some writers omit it); anything else there is an error.
export async function skipArPadding(reader: ByteReader, member: ArMemberHeader): Promise<void> {
  if (member.size % 2 === 0) return;
  const pad = await reader.read(1);
  if (pad.length === 1 && pad[0] !== 0x0a) {
    throw corrupt(`The ar padding after ${member.name} is not a newline.`);
  }
}
