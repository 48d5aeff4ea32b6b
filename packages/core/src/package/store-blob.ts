// The one home for turning bytes into a Blob: stream them into storage while hashing them (constant
// memory), then find or create the Blob row for their digest. Identical bytes share one row and one
// stored object: the caller deletes its own copy when `recordBlob` says the bytes were already there.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { asRawSql, type Blob, Prisma, queryRows, type RawSql, type Tx } from '@pallet/db';
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
  const put = ctx.storage.put(storageKey, body, { shareDirectorySync: opts.kind === 'uploads' });
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
 * The statement that finds the Blob row for these bytes or creates it pointing at `stored.storageKey`,
 * returning the row (its columns under a `blob.` prefix, so that it can stand beside another table's
 * row: upload-package.ts uses it as a CTE, `when` its condition). ON CONFLICT: two uploads of the same bytes at once end up
 * sharing one row.
 *
 * It sets `touchedAt` either way: garbage collection removes an unreferenced blob only when its
 * `touchedAt` is older than the grace period, re-checked under the row lock this takes (see
 * core/gc/collect-garbage.ts), so a blob an upload has just found cannot be collected before the
 * upload's package row references it.
 */
export function recordBlobSql(stored: StoredBytes, when: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "Blob" ("id", "sha256", "sha512", "sha1", "md5", "size", "storageKey", "createdAt", "touchedAt")
    SELECT ${randomUUID()}, ${stored.sha256}, ${stored.sha512}, ${stored.sha1}, ${stored.md5},
           ${String(stored.size)}::int8, ${stored.storageKey}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    WHERE ${when}
    ON CONFLICT ("sha256") DO UPDATE SET "touchedAt" = now() AT TIME ZONE 'UTC'
    RETURNING "id" AS "blob.id", "sha256" AS "blob.sha256", "sha512" AS "blob.sha512", "sha1" AS "blob.sha1",
              "md5" AS "blob.md5", "size" AS "blob.size", "storageKey" AS "blob.storageKey",
              "createdAt" AS "blob.createdAt", "touchedAt" AS "blob.touchedAt"`;
}

export type BlobColumns = { [K in keyof Blob as `blob.${K}`]: Blob[K] };

/** The Blob of a row that carries recordBlobSql's `blob.` columns. */
export function blobOf(row: BlobColumns): Blob {
  return {
    id: row['blob.id'],
    sha256: row['blob.sha256'],
    sha512: row['blob.sha512'],
    sha1: row['blob.sha1'],
    md5: row['blob.md5'],
    size: row['blob.size'],
    storageKey: row['blob.storageKey'],
    createdAt: row['blob.createdAt'],
    touchedAt: row['blob.touchedAt'],
  };
}

/**
 * Finds or creates the Blob row for these bytes (recordBlobSql). `created: false` means the bytes
 * already had a row (and object): the caller's copy is then redundant.
 */
export async function recordBlob(
  db: Tx | RawSql,
  stored: StoredBytes,
): Promise<{ blob: Blob; created: boolean }> {
  const rows = await queryRows<BlobColumns>(asRawSql(db), recordBlobSql(stored));
  const row = rows[0];
  if (!row) throw new Error(`recording blob ${stored.sha256} returned no row`);
  return blobCreated(blobOf(row), stored);
}

/** Whether the row is the one these bytes created (else they were already stored). */
export function blobCreated(blob: Blob, stored: StoredBytes): { blob: Blob; created: boolean } {
  return { blob, created: blob.storageKey === stored.storageKey };
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
