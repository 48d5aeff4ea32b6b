// Streams an upload into storage while hashing it and parsing it as a .deb or .rpm, in constant memory.
// A rejected upload (not a package, corrupt, too large, cut off) settles at once and leaves nothing stored.
import { type DebPackage, parseDeb } from '@pallet/deb';
import { parseRpm, type RpmPackage } from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { DomainError, InvalidPackage, TooLarge, UnsupportedFormat } from '../errors/domain-errors';
import { palletMetrics } from '../metrics/pallet-metrics';
import { fanOut } from './fan-out';
import { discardBytes, type StoredBytes, storeBytes } from './store-blob';

export type StagedUpload = StoredBytes &
  ({ format: 'deb'; deb: DebPackage } | { format: 'rpm'; rpm: RpmPackage });

type ParsedPackage = { format: 'deb'; deb: DebPackage } | { format: 'rpm'; rpm: RpmPackage };

const DEB_MAGIC = Buffer.from('!<arch>\n', 'latin1');
const RPM_MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);
const SNIFF_BYTES = DEB_MAGIC.length;

export function sniffFormat(head: Uint8Array): 'deb' | 'rpm' | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(DEB_MAGIC)) return 'deb';
  if (b.length >= 4 && b.subarray(0, 4).equals(RPM_MAGIC)) return 'rpm';
  return null;
}

/** Maps the format libraries' errors (which know nothing of HTTP) to domain errors. */
export function toPackageError(err: unknown): Error {
  if (err instanceof DomainError) return err;
  const kind = (err as { kind?: string }).kind;
  const message = (err as Error).message || 'The package could not be read.';
  if (kind === 'not_a_deb' || kind === 'not_an_rpm')
    return new UnsupportedFormat('The file is not a .deb or .rpm package.');
  if (kind) return new InvalidPackage(message.endsWith('.') ? message : `${message}.`);
  return err as Error;
}

/** Reads the first bytes to pick the parser, then hands it the whole stream (those bytes included). */
async function parsePackage(
  input: AsyncIterable<Uint8Array>,
  bomb: { floorBytes: number; maxRatio: number },
): Promise<ParsedPackage> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const format = sniffFormat(Buffer.concat(head));
  if (!format) {
    await iterator.return?.();
    throw new UnsupportedFormat('The file is not a .deb or .rpm package.');
  }
  async function* whole(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  if (format === 'deb') {
    const limits = { dataBombFloorBytes: bomb.floorBytes, maxDataRatio: bomb.maxRatio };
    return { format, deb: await parseDeb(whole(), limits) };
  }
  return { format, rpm: await parseRpm(whole()) };
}

/** Refuses the upload the moment it passes the limit, before any consumer sees the excess. */
async function* withinLimit(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  const received = palletMetrics().uploadBytes;
  for await (const chunk of source) {
    size += chunk.length;
    received.inc(chunk.length);
    if (size > maxBytes) throw new TooLarge(`The upload exceeds the limit of ${maxBytes} bytes.`);
    yield chunk;
  }
}

export async function stageUpload(
  ctx: CoreContext,
  source: AsyncIterable<Uint8Array>,
  opts: { maxBytes: number },
): Promise<StagedUpload> {
  let stored: StoredBytes | undefined;
  try {
    const [, parsed] = await fanOut<[StoredBytes, ParsedPackage]>(withinLimit(source, opts.maxBytes), [
      async (input) => {
        stored = await storeBytes(ctx, input, { kind: 'uploads' });
        return stored;
      },
      (input) => parsePackage(input, ctx.config.debDataBomb),
    ]);
    palletMetrics().uploads.inc({ result: 'staged' });
    return { ...(stored as StoredBytes), ...parsed };
  } catch (err) {
    palletMetrics().uploads.inc({ result: 'refused' });
    // The bytes may be fully stored by the time the parser finds the file truncated or corrupt.
    if (stored) await discardBytes(ctx, stored);
    throw toPackageError(err);
  }
}

export async function discardStagedUpload(ctx: CoreContext, staged: { storageKey: string }): Promise<void> {
  await discardBytes(ctx, staged);
}
