import { describe, expect, it } from 'vitest';
import { DigestState } from './digest-state';
import { digestsOf } from './publication-file';

describe('DigestState', () => {
  it('gives the digests of the bytes so far followed by the appended ones, leaving the state it extends as it was', () => {
    const head = Buffer.from('Package: a\nVersion: 1\n');
    const tail = Buffer.from('\nPackage: b\nVersion: 2\n');
    const state = DigestState.of(head);
    const extended = state.extend(tail);
    expect(extended.digests()).toEqual(digestsOf(Buffer.concat([head, tail])));
    expect(extended.extend(tail).digests()).toEqual(digestsOf(Buffer.concat([head, tail, tail])));
    expect(state.digests()).toEqual(digestsOf(head));
    expect(state.digests()).toEqual(digestsOf(head));
  });
});
