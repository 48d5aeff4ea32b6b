// RFC 9162 Merkle trees over stored subtree hashes. A log keeps the hash of every complete, aligned
// subtree ("node": 2^level leaves starting at leaf index·2^level), so a tree head or a proof of any
// size is folded from O(log n) stored nodes instead of rehashing the whole tree.
import { createHash } from 'node:crypto';

export const HASH_BYTES = 32;

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Uint8Array;
}

/** A run of leaves [start, end) whose Merkle tree hash is one element of a proof. */
export interface LeafRange {
  start: number;
  end: number;
}

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** RFC 9162 §2.1.1: the hash of the empty tree. */
export const EMPTY_TREE_HASH = sha256();

/** RFC 9162 §2.1.1: MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0), entry);
}

/** RFC 9162 §2.1.1: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(1), left, right);
}

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}

function assertSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** The largest power of two strictly smaller than n (n > 1), the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that make up the leaves [start, end), largest first. The ranges that RFC 9162's
 * recursion produces always start at a multiple of their largest power of two, so the split is exact.
 */
export function rangeNodes({ start, end }: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let lo = start;
  while (lo < end) {
    let size = 1;
    let level = 0;
    while (size * 2 <= end - lo && lo % (size * 2) === 0) {
      size *= 2;
      level++;
    }
    nodes.push({ level, index: lo / size });
    lo += size;
  }
  return nodes;
}

/** MTH of a range from its complete subtrees (largest first): the right-hand ones fold first. */
export function foldNodes(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_TREE_HASH;
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the ranges whose hashes form the inclusion proof, leaf side first. */
export function inclusionProofRanges(leafIndex: number, treeSize: number): LeafRange[] {
  assertSize('treeSize', treeSize);
  assertSize('leafIndex', leafIndex);
  if (leafIndex >= treeSize) throw new RangeError('leafIndex must be smaller than treeSize');
  const ranges: LeafRange[] = [];
  let lo = 0;
  let hi = treeSize;
  let m = leafIndex;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      ranges.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      ranges.push({ start: lo, end: lo + k });
      lo += k;
      m -= k;
    }
  }
  return ranges.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) via SUBPROOF: the ranges of the consistency proof, in order. */
export function consistencyProofRanges(oldSize: number, newSize: number): LeafRange[] {
  assertSize('oldSize', oldSize);
  assertSize('newSize', newSize);
  if (oldSize > newSize) throw new RangeError('oldSize must not exceed newSize');
  if (oldSize === 0 || oldSize === newSize) return [];
  const ranges: LeafRange[] = [];
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let complete = true; // SUBPROOF's b: the old tree is the whole current subtree
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      ranges.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      ranges.push({ start: lo, end: lo + k });
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) ranges.push({ start: lo, end: hi });
  return ranges.reverse();
}

/** Every stored node a set of ranges needs. */
export function nodesForRanges(ranges: LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const id of rangeNodes(r)) seen.set(nodeKey(id), id);
  return [...seen.values()];
}

/** Hashes of ranges from stored nodes; a missing node is a storage fault, not a client error. */
export function hashRanges(ranges: LeafRange[], nodes: ReadonlyMap<string, Uint8Array>): Uint8Array[] {
  return ranges.map((r) =>
    foldNodes(
      rangeNodes(r).map((id) => {
        const hash = nodes.get(nodeKey(id));
        if (!hash) throw new Error(`Merkle node ${nodeKey(id)} is missing`);
        return hash;
      }),
    ),
  );
}

/**
 * Appends leaves to a tree of `size` leaves whose frontier (the hashes of rangeNodes([0, size)),
 * largest first) is given. Returns every newly complete node and the new tree head.
 */
export function appendLeaves(
  size: number,
  frontier: Uint8Array[],
  leafHashes: Uint8Array[],
): { nodes: StoredNode[]; rootHash: Uint8Array; size: number } {
  assertSize('size', size);
  const expected = rangeNodes({ start: 0, end: size });
  if (expected.length !== frontier.length) throw new Error('frontier does not match the tree size');
  const stack = expected.map((id, i) => ({ level: id.level, hash: frontier[i]! }));
  const nodes: StoredNode[] = [];
  let n = size;
  for (const leaf of leafHashes) {
    stack.push({ level: 0, hash: leaf });
    nodes.push({ level: 0, index: n, hash: leaf });
    n++;
    while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
      const right = stack.pop()!;
      const left = stack.pop()!;
      const level = left.level + 1;
      const hash = hashChildren(left.hash, right.hash);
      nodes.push({ level, index: n / 2 ** level - 1, hash });
      stack.push({ level, hash });
    }
  }
  return { nodes, rootHash: foldNodes(stack.map((s) => s.hash)), size: n };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 9162 §2.1.3.2: does `auditPath` prove `leafHash` at `leafIndex` in the tree of `rootHash`? */
export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  auditPath: Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return false;
  if (leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of auditPath) {
    if (p.length !== HASH_BYTES || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, rootHash);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `newRoot` extends the tree of `oldRoot`? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize)) return false;
  if (oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  // Every tree extends the empty tree; RFC 9162 defines no proof for it.
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_BYTES)) return false;
  // A power-of-two old tree is a complete subtree of the new one: its root is the proof's first node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let v = n;
  while (v > 1 && v % 2 === 0) v /= 2;
  return v === 1;
}
