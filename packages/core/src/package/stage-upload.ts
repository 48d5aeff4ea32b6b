// Streams an upload into storage while hashing it and parsing it as a .deb or .rpm, in constant memory.
// A rejected upload (not a package, corrupt, too large) leaves nothing stored.
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { type DebPackage, parseDeb } from '@pallet/deb';
import { parseRpm, type RpmPackage } from '@pallet/rpm';
import type { CoreContext } from '../context/core-context';
import { DomainError, InvalidPackage, TooLarge, UnsupportedFormat } from '../errors/domain-errors';

export interface FileDigests {
  sha256: string;
  sha512: string;
  sha1: string;
  md5: string;
  size: number;
}

export type StagedUpload = FileDigests & { storageKey: string } & (
    | { format: 'deb'; deb: DebPackage }
    | { format: 'rpm'; rpm: RpmPackage }
  );

const DEB_MAGIC = Buffer.from('!<arch>\n', 'latin1');
const RPM_MAGIC = Buffer.from([0xed, 0xab, 0xee, 0xdb]);

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

class Hashes {
  private readonly h = ['sha256', 'sha512', 'sha1', 'md5'].map((a) => createHash(a));
  size = 0;
  update(chunk: Uint8Array) {
    this.size += chunk.length;
    for (const h of this.h) h.update(chunk);
  }
  digests(): FileDigests {
    const [sha256, sha512, sha1, md5] = this.h.map((h) => h.digest('hex')) as [
      string,
      string,
      string,
      string,
    ];
    return { sha256, sha512, sha1, md5, size: this.size };
  }
}

async function writeWithBackpressure(
  stream: PassThrough,
  chunk: Uint8Array,
  abort: Promise<never>,
): Promise<void> {
  if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), abort]);
}

function uploadKey(): string {
  const d = new Date();
  return `uploads/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
}

export async function stageUpload(
  ctx: CoreContext,
  source: AsyncIterable<Uint8Array>,
  opts: { maxBytes: number },
): Promise<StagedUpload> {
  const key = uploadKey();
  const hashes = new Hashes();
  const toStorage = new PassThrough({ highWaterMark: 1 << 20 });
  const toParser = new PassThrough({ highWaterMark: 1 << 20 });
  let failed: (err: unknown) => void = () => {};
  const abort = new Promise<never>((_, reject) => {
    failed = reject;
  });
  abort.catch(() => {});
  const put = ctx.storage.put(key, toStorage);
  put.catch((err) => failed(err));
  let format: 'deb' | 'rpm' | null = null;
  let parse: Promise<DebPackage | RpmPackage> | null = null;
  let head: Buffer = Buffer.alloc(0);
  try {
    const startParser = () => {
      format = sniffFormat(head);
      if (!format) throw new UnsupportedFormat('The file is not a .deb or .rpm package.');
      const { floorBytes, maxRatio } = ctx.config.debDataBomb;
      parse =
        format === 'deb'
          ? parseDeb(toParser, { dataBombFloorBytes: floorBytes, maxDataRatio: maxRatio })
          : parseRpm(toParser);
      parse.catch((err) => failed(err));
    };
    for await (const raw of source) {
      const chunk = raw instanceof Uint8Array ? raw : Buffer.from(raw);
      if (hashes.size + chunk.length > opts.maxBytes) {
        throw new TooLarge(`The upload exceeds the limit of ${opts.maxBytes} bytes.`);
      }
      hashes.update(chunk);
      if (!parse) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 8) continue;
        startParser();
        await writeWithBackpressure(toStorage, head, abort);
        await writeWithBackpressure(toParser, head, abort);
        continue;
      }
      await writeWithBackpressure(toStorage, chunk, abort);
      await writeWithBackpressure(toParser, chunk, abort);
    }
    if (!parse) {
      startParser();
      toStorage.write(head);
      toParser.write(head);
    }
    toStorage.end();
    toParser.end();
    const [parsed] = await Promise.race([
      Promise.all([parse as unknown as Promise<DebPackage | RpmPackage>, put]),
      abort,
    ]);
    const digests = hashes.digests();
    if (format === 'deb') return { ...digests, storageKey: key, format: 'deb', deb: parsed as DebPackage };
    return { ...digests, storageKey: key, format: 'rpm', rpm: parsed as RpmPackage };
  } catch (err) {
    const error = toPackageError(err);
    // Destroy with the error: a pipeline attached to a stream destroyed without one never settles
    // (a small upload can fail before the storage driver has started reading it).
    toStorage.on('error', () => {});
    toStorage.destroy(error);
    toParser.destroy();
    await put.catch(() => {});
    await ctx.storage.delete(key).catch(() => {});
    throw error;
  }
}

export async function discardStagedUpload(ctx: CoreContext, staged: { storageKey: string }): Promise<void> {
  await ctx.storage.delete(staged.storageKey).catch(() => {});
}
