import { afterEach, describe, expect, it } from 'vitest';
import type { DebIndexBase } from './build-deb-publication';
import { forgetDebIndexes, recallDebIndexes, rememberDebIndexes } from './deb-index-cache';
import { DigestState } from './digest-state';
import { digestsOf } from './publication-file';

/**
 * One index of `bytes` plain bytes. The cache weighs an entry by its bytes alone, so every digest is the
 * empty file's: hashing the eviction test's 557 MiB four ways took ~15 s and proved nothing here.
 */
function indexes(bytes: number): Map<string, DebIndexBase> {
  const plain = Buffer.alloc(bytes, 'a');
  const gz = Buffer.alloc(0);
  return new Map([
    [
      'main/binary-amd64',
      {
        plain,
        gz,
        plainDigests: digestsOf(gz),
        gzDigests: digestsOf(gz),
        plainState: DigestState.of(gz),
        gzState: DigestState.of(gz),
      },
    ],
  ]);
}

afterEach(() => forgetDebIndexes());

describe('deb index cache', () => {
  it("keeps only a distribution's latest publication", () => {
    const first = indexes(10);
    const second = indexes(20);
    rememberDebIndexes('dist', 'pub-1', first);
    rememberDebIndexes('other', 'pub-x', indexes(5));
    rememberDebIndexes('dist', 'pub-2', second);
    expect(recallDebIndexes('pub-1')).toBeUndefined();
    expect(recallDebIndexes('pub-2')).toBe(second);
    expect(recallDebIndexes('pub-x')).toBeDefined();
  });

  it('drops the least recently used distributions beyond 256 MiB, and never keeps a larger set', () => {
    rememberDebIndexes('a', 'pub-a', indexes(100 * 2 ** 20));
    rememberDebIndexes('b', 'pub-b', indexes(100 * 2 ** 20));
    expect(recallDebIndexes('pub-a')).toBeDefined();
    rememberDebIndexes('c', 'pub-c', indexes(100 * 2 ** 20));
    expect(recallDebIndexes('pub-b')).toBeUndefined();
    expect(recallDebIndexes('pub-a')).toBeDefined();
    expect(recallDebIndexes('pub-c')).toBeDefined();
    rememberDebIndexes('d', 'pub-d', indexes(257 * 2 ** 20));
    expect(recallDebIndexes('pub-d')).toBeUndefined();
  });
});
