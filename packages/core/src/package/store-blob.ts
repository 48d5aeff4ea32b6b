// The one home for turning bytes into a Blob: stream them into storage while hashing them (constant
// memory), then find or create the Blob row for their digest. Identical bytes share one row and one
// stored object: the caller deletes its own copy when `recordBlob` says the bytes were already there.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { type Blob, Prisma, type Tx } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { BlobDigester } from './blob-digests';

export interface BlobDigests {
  sha256: string;
  sha512: string;
  sha1: string;
  md5: string;
  size: number;
}

export type StoredBytes = BlobDigests & { storageKey: string };

/** `uploads/` holds bytes as clients sent them, `signed/` rpms re-signed with the repository key. */
export type BlobKind = 'uploads' | 'signed';

function blobKey(kind: BlobKind): string {
  const d = new Date();
  return `${kind}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
}

/**
 * Streams `source` into a new storage object and returns its digests. Settles on every path: a failing
 * source or a failing storage driver leaves nothing stored and rethrows.
 */
export async function storeBytes(
  ctx: CoreContext,
  source: AsyncIterable<Uint8Array>,
  opts: { kind: BlobKind },
): Promise<StoredBytes> {
  const storageKey = blobKey(opts.kind);
  const digester = new BlobDigester({ thread: ctx.config.digestThread });
  let size = 0;
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  const put = ctx.storage.put(storageKey, body);
  // A put that fails while we wait for `drain` must end the wait, not leave it hanging. (Listeners are
  // removed after each wait: racing every wait against one long-lived promise keeps them all reachable.)
  let putFailure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  put.catch((error: unknown) => {
    putFailure = { error };
    wake?.();
  });
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        body.off('drain', done);
        body.off('close', done);
        wake = null;
        if (putFailure) reject((putFailure as { error: unknown }).error);
        else if (body.destroyed) reject(new Error('The storage stopped reading the upload.'));
        else resolve();
      };
      body.on('drain', done);
      body.on('close', done);
      wake = done;
      if (putFailure) done();
    });
  try {
    for await (const raw of source) {
      const chunk = raw instanceof Uint8Array ? raw : Buffer.from(raw as string);
      size += chunk.length;
      // Hashing (on the digest threads for a large body) and writing go on side by side.
      const hashing = digester.update(chunk);
      hashing?.catch(() => {});
      if (!body.write(chunk)) await drained();
      if (hashing) await hashing;
    }
    body.end();
    const [digests] = await Promise.all([digester.digest(), put]);
    return { storageKey, ...digests, size };
  } catch (err) {
    digester.abort();
    // Destroy with the error: a pipeline attached to a stream destroyed without one never settles.
    body.on('error', () => {});
    body.destroy(err instanceof Error ? err : new Error(String(err)));
    await put.catch(() => {});
    await ctx.storage.delete(storageKey).catch(() => {});
    throw err;
  }
}

/**
 * Finds the Blob row for these bytes or creates it pointing at `stored.storageKey`. `created: false`
 * means the bytes already had a row (and object): the caller's copy is then redundant.
 *
 * One statement either way, and it sets `touchedAt`: garbage collection removes an unreferenced blob
 * only when its `touchedAt` is older than the grace period, re-checked under the row lock this takes
 * (see core/gc/collect-garbage.ts), so a blob an upload has just found cannot be collected before the
 * upload's package row references it. `alongside`, a scalar subquery of the caller's, is evaluated by
 * the same statement (same snapshot) and returned as `alongside`: a read that costs no round trip.
 */
export async function recordBlob(
  db: Tx,
  stored: StoredBytes,
  alongside: Prisma.Sql = Prisma.sql`NULL`,
): Promise<{ blob: Blob; created: boolean; alongside: unknown }> {
  // ON CONFLICT: two uploads of the same bytes at once end up sharing one row.
  const rows = await db.$queryRaw<(Blob & { alongside: unknown })[]>`
    INSERT INTO "Blob" ("id", "sha256", "sha512", "sha1", "md5", "size", "storageKey", "createdAt", "touchedAt")
    VALUES (${randomUUID()}, ${stored.sha256}, ${stored.sha512}, ${stored.sha1}, ${stored.md5},
            ${BigInt(stored.size)}, ${stored.storageKey}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT ("sha256") DO UPDATE SET "touchedAt" = now() AT TIME ZONE 'UTC'
    RETURNING "id", "sha256", "sha512", "sha1", "md5", "size", "storageKey", "createdAt", "touchedAt",
              (${alongside}) AS "alongside"`;
  const row = rows[0];
  if (!row) throw new Error(`recording blob ${stored.sha256} returned no row`);
  const { alongside: extra, ...blob } = row;
  return { blob, created: blob.storageKey === stored.storageKey, alongside: extra };
}

/** Stores bytes and records their Blob in one step, dropping the new copy when the bytes were known. */
export async function storeBlob(
  ctx: CoreContext,
  source: AsyncIterable<Uint8Array>,
  opts: { kind: BlobKind },
): Promise<Blob> {
  const stored = await storeBytes(ctx, source, opts);
  try {
    const { blob, created } = await recordBlob(ctx.db, stored);
    if (!created) await discardBytes(ctx, stored);
    return blob;
  } catch (err) {
    await discardBytes(ctx, stored);
    throw err;
  }
}

export async function discardBytes(ctx: CoreContext, stored: { storageKey: string }): Promise<void> {
  await ctx.storage.delete(stored.storageKey).catch(() => {});
}
