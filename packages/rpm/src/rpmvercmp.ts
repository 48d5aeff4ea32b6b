// rpm's version ordering (`rpmio/rpmvercmp.c`, formats.md 3.6): rpmvercmp for one string, compareEvr for
// epoch:version-release. Written by hand: the field has no maintained JS RPM reader.

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isAlnum(c: string): boolean {
  return isDigit(c) || isAlpha(c);
}

function byteCompare(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Compares two version (or release) strings the way rpm does: -1, 0 or 1. */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a.charAt(i)) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b.charAt(j)) && b[j] !== '~' && b[j] !== '^') j++;

    // Tilde sorts before everything, even the end of the string.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // Caret sorts after the end of the string but before any other segment.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a.charAt(i));
    const inSegment = numeric ? isDigit : isAlpha;
    const startA = i;
    const startB = j;
    while (i < a.length && inSegment(a.charAt(i))) i++;
    while (j < b.length && inSegment(b.charAt(j))) j++;
    let segA = a.slice(startA, i);
    let segB = b.slice(startB, j);
    // The other string had a segment of the other kind: numeric beats alpha.
    if (segB.length === 0) return numeric ? 1 : -1;

    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    const cmp = byteCompare(segA, segB);
    if (cmp !== 0) return cmp;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

export interface Evr {
  epoch?: number | string | null;
  version: string;
  release?: string | null;
}

function epochNumber(e: Evr['epoch']): number {
  if (e === undefined || e === null || e === '') return 0;
  const n = typeof e === 'number' ? e : Number.parseInt(e, 10);
  return Number.isFinite(n) ? n : 0;
}

/** Orders epoch:version-release: epoch numerically (missing = 0), then version, then release. */
export function compareEvr(a: Evr, b: Evr): -1 | 0 | 1 {
  const ea = epochNumber(a.epoch);
  const eb = epochNumber(b.epoch);
  if (ea !== eb) return ea > eb ? 1 : -1;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  return rpmvercmp(a.release ?? '', b.release ?? '');
}
