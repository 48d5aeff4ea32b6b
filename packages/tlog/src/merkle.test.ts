// Proofs from stored nodes checked against a deliberately naive Merkle tree written here from the text
// of RFC 9162 §2.1 (recursive MTH, PATH and SUBPROOF over the leaf list), sharing no code with merkle.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  consistencyProofRanges,
  EMPTY_TREE_HASH,
  hashLeaf,
  hashRanges,
  inclusionProofRanges,
  nodeKey,
  nodesForRanges,
  rangeNodes,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const MAX_SIZE = 300;

function rfcHash(...parts: (number[] | Buffer)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(Buffer.isBuffer(p) ? p : Buffer.from(p));
  return h.digest();
}

/** The RFC's definitions, literally: k is the largest power of two smaller than n. */
class NaiveTree {
  private memo = new Map<string, Buffer>();
  constructor(readonly entries: Buffer[]) {}

  largestPowerOfTwoBelow(n: number): number {
    let k = 1;
    while (k < n) k <<= 1;
    return k >> 1;
  }

  mth(lo: number, hi: number): Buffer {
    const key = `${lo}:${hi}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    let h: Buffer;
    const n = hi - lo;
    if (n === 0) h = rfcHash();
    else if (n === 1) h = rfcHash([0], this.entries[lo]!);
    else {
      const k = this.largestPowerOfTwoBelow(n);
      h = rfcHash([1], this.mth(lo, lo + k), this.mth(lo + k, hi));
    }
    this.memo.set(key, h);
    return h;
  }

  path(m: number, lo: number, hi: number): Buffer[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = this.largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  subproof(m: number, lo: number, hi: number, b: boolean): Buffer[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = this.largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)];
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

function entry(i: number): Buffer {
  return Buffer.from(`entry ${i}\n`);
}

/** Grows a stored-node log leaf by leaf (and in uneven batches), the way the database does. */
function buildStore(size: number) {
  const nodes = new Map<string, Uint8Array>();
  const roots: Uint8Array[] = [EMPTY_TREE_HASH];
  let n = 0;
  let batch = 1;
  while (n < size) {
    const count = Math.min(batch, size - n);
    const frontier = rangeNodes({ start: 0, end: n }).map((id) => nodes.get(nodeKey(id))!);
    const leaves = Array.from({ length: count }, (_, j) => hashLeaf(entry(n + j)));
    // Intermediate heads of a batch are checked through the single-leaf path of the next sizes.
    const result = appendLeaves(n, frontier, leaves);
    for (const node of result.nodes) nodes.set(nodeKey(node), node.hash);
    for (let j = 1; j < count; j++) roots.push(new Uint8Array(0));
    roots.push(result.rootHash);
    n = result.size;
    batch = (batch % 3) + 1;
  }
  return { nodes, roots };
}

const naive = new NaiveTree(Array.from({ length: MAX_SIZE }, (_, i) => entry(i)));
const store = buildStore(MAX_SIZE);
const b64 = (xs: Uint8Array[]) => xs.map((x) => Buffer.from(x).toString('base64'));

describe('Merkle tree over stored nodes, against a naive RFC 9162 tree', () => {
  it('computes the tree head of every size from stored nodes alone', () => {
    const failures: number[] = [];
    for (let n = 0; n <= MAX_SIZE; n++) {
      const [head] = hashRanges([{ start: 0, end: n }], store.nodes);
      if (!Buffer.from(head!).equals(naive.mth(0, n))) failures.push(n);
      if (store.roots[n]!.length && !Buffer.from(store.roots[n]!).equals(naive.mth(0, n))) failures.push(-n);
    }
    expect(failures).toEqual([]);
  });

  it('produces the RFC inclusion proof for every leaf of every tree size, and verifies it', () => {
    const failures: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX_SIZE; n++) {
      const root = naive.mth(0, n);
      for (let m = 0; m < n; m++) {
        const proof = hashRanges(inclusionProofRanges(m, n), store.nodes);
        const expected = naive.path(m, 0, n);
        if (b64(proof).join() !== b64(expected).join()) failures.push(`proof of leaf ${m} in ${n}`);
        if (!verifyInclusion(hashLeaf(entry(m)), m, n, expected, root)) failures.push(`verify ${m} in ${n}`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((MAX_SIZE * (MAX_SIZE + 1)) / 2);
  });

  it('produces the RFC consistency proof between every pair of sizes, and verifies it', () => {
    const failures: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX_SIZE; n++) {
      const newRoot = naive.mth(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = hashRanges(consistencyProofRanges(m, n), store.nodes);
        const expected = m === n ? [] : naive.subproof(m, 0, n, true);
        if (b64(proof).join() !== b64(expected).join()) failures.push(`proof ${m} -> ${n}`);
        if (!verifyConsistency(m, n, expected, naive.mth(0, m), newRoot))
          failures.push(`verify ${m} -> ${n}`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe((MAX_SIZE * (MAX_SIZE + 1)) / 2);
  });

  it('rejects inclusion proofs with a changed hash, leaf, index or length', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 64, 100, 255, 256, 257, MAX_SIZE]) {
      const root = naive.mth(0, n);
      for (const m of new Set([0, Math.floor(n / 2), n - 1])) {
        const proof = naive.path(m, 0, n);
        const leaf = hashLeaf(entry(m));
        for (let i = 0; i < proof.length; i++) {
          const bad = proof.map((p) => Buffer.from(p));
          bad[i]![0]! ^= 1;
          expect(verifyInclusion(leaf, m, n, bad, root)).toBe(false);
        }
        expect(verifyInclusion(hashLeaf(entry(m + 1)), m, n, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaf, (m + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, m, n, [...proof, root], root)).toBe(false);
        if (proof.length) expect(verifyInclusion(leaf, m, n, proof.slice(1), root)).toBe(false);
        expect(verifyInclusion(leaf, n, n, proof, root)).toBe(false);
      }
    }
  });

  it('rejects consistency proofs with a changed hash, root or size', () => {
    for (const [m, n] of [
      [1, 2],
      [3, 7],
      [4, 8],
      [6, 8],
      [5, 100],
      [128, 256],
      [200, 299],
      [256, 257],
    ] as const) {
      const proof = naive.subproof(m, 0, n, true);
      const oldRoot = naive.mth(0, m);
      const newRoot = naive.mth(0, n);
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.map((p) => Buffer.from(p));
        bad[i]![31]! ^= 0x80;
        expect(verifyConsistency(m, n, bad, oldRoot, newRoot), `${m}->${n} node ${i}`).toBe(false);
      }
      // A fork: an old head the new tree does not extend.
      expect(verifyConsistency(m, n, proof, naive.mth(0, m - 1), newRoot)).toBe(false);
      expect(verifyConsistency(m, n, proof, oldRoot, naive.mth(0, n - 1))).toBe(false);
      expect(verifyConsistency(m, n, [], oldRoot, newRoot)).toBe(false);
      expect(verifyConsistency(n, m, proof, newRoot, oldRoot)).toBe(false);
    }
    expect(verifyConsistency(5, 5, [], naive.mth(0, 5), naive.mth(0, 4))).toBe(false);
  });

  it('lists only the stored nodes a proof needs (logarithmic, not linear)', () => {
    const ids = nodesForRanges(inclusionProofRanges(123, MAX_SIZE));
    expect(ids.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(MAX_SIZE)));
    for (const id of ids) expect(store.nodes.has(nodeKey(id))).toBe(true);
  });

  it('refuses out-of-range proof requests', () => {
    expect(() => inclusionProofRanges(5, 5)).toThrow(RangeError);
    expect(() => inclusionProofRanges(-1, 5)).toThrow(RangeError);
    expect(() => consistencyProofRanges(6, 5)).toThrow(RangeError);
    expect(() => inclusionProofRanges(0.5, 5)).toThrow(RangeError);
  });
});
