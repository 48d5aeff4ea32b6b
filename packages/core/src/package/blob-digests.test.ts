// A Blob's digests must be the same whichever thread computes them: small bodies here, large ones partly
// on the digest thread, in any chunking, several at once, and after an abandoned body.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlobDigester, INLINE_BYTES } from './blob-digests';

function expected(bytes: Buffer) {
  const hex = (a: string) => createHash(a).update(bytes).digest('hex');
  return { sha256: hex('sha256'), sha512: hex('sha512'), sha1: hex('sha1'), md5: hex('md5') };
}

async function digestInChunks(bytes: Buffer, sizes: number[], opts: { thread?: boolean } = {}) {
  const digester = new BlobDigester(opts);
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    const wait = digester.update(bytes.subarray(offset, offset + size));
    if (wait) await wait;
    offset += size;
  }
  return digester.digest();
}

describe('BlobDigester', () => {
  it('gives the four digests of a small body and of an empty one', async () => {
    const small = randomBytes(1000);
    expect(await digestInChunks(small, [100, 7, 333])).toEqual(expected(small));
    expect(await new BlobDigester().digest()).toEqual(expected(Buffer.alloc(0)));
  });

  it('gives the same digests for a large body hashed partly on the digest thread, in odd chunks', async () => {
    const large = randomBytes(INLINE_BYTES * 5 + 12_345);
    expect(await digestInChunks(large, [65_536, 1, 3 * 1024 * 1024, 4097])).toEqual(expected(large));
    // Right at the threshold, and one byte past it.
    const edge = large.subarray(0, INLINE_BYTES);
    expect(await digestInChunks(edge, [INLINE_BYTES])).toEqual(expected(edge));
    const past = large.subarray(0, INLINE_BYTES + 1);
    expect(await digestInChunks(past, [INLINE_BYTES, 1])).toEqual(expected(past));
  });

  it('gives the same digests without the digest thread (PALLET_DIGEST_THREAD=off), never waiting', async () => {
    const large = randomBytes(INLINE_BYTES * 3 + 7);
    expect(await digestInChunks(large, [65_536, 1, 2 * 1024 * 1024], { thread: false })).toEqual(
      expected(large),
    );
    const inline = new BlobDigester({ thread: false });
    expect(inline.update(large)).toBeUndefined();
    expect(await inline.digest()).toEqual(expected(large));
    expect(await new BlobDigester({ thread: false }).digest()).toEqual(expected(Buffer.alloc(0)));
  });

  it('keeps several large bodies apart, and serves the next body after one was abandoned', async () => {
    const bodies = [
      randomBytes(3 * INLINE_BYTES),
      randomBytes(6 * INLINE_BYTES + 1),
      randomBytes(2 * INLINE_BYTES + 3),
    ];
    const abandoned = new BlobDigester();
    await abandoned.update(randomBytes(3 * INLINE_BYTES));
    abandoned.abort();
    const got = await Promise.all(bodies.map((b) => digestInChunks(b, [65_536])));
    expect(got).toEqual(bodies.map(expected));
  });
});
