// Test-only: assert that parseDeb rejects bytes with a given DebFormatError kind and message.
import { expect } from 'vitest';
import { DebFormatError, type DebFormatErrorKind } from '../errors';
import { parseDeb } from '../parse-deb';
import { arArchive, chunked, tarOf } from './deb-builders';

export async function expectRejection(
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
export async function debWithControlMember(name: string, data: Uint8Array): Promise<Buffer> {
  return arArchive([
    { name: 'debian-binary', data: Buffer.from('2.0\n') },
    { name, data },
    { name: 'data.tar', data: await tarOf({ a: 'b' }) },
  ]);
}
