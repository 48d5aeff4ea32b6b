// Input checks at the HTTP edge, before anything reaches a decoder or the database: PostgreSQL refuses
// NUL in text (the query fails, so the client would see a 500), an unpaired UTF-16 surrogate cannot be
// encoded as UTF-8 (it would be stored as U+FFFD, silently changing the input), and a malformed
// percent-escape is not a URL at all (RFC 3986 §2.1). Pure functions: the web server's first check of
// every request, the route wrapper, the next-auth route and the dashboard's server actions call these.
import { InvalidRequest } from '@pallet/core';

// With the `u` flag a well-formed surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a text may not be accepted (a phrase for an error message), or null when it is fine. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\0')) return 'a NUL character';
  if (LONE_SURROGATE.test(text)) return 'an unpaired UTF-16 surrogate';
  return null;
}

/** Throws a 400 naming `where` when the text holds a NUL or an unpaired surrogate. */
export function assertSafeText(text: string, where: string): void {
  const reason = unsafeTextReason(text);
  if (reason) throw new InvalidRequest(`${where} contains ${reason}, which is not accepted.`);
}

/**
 * Walks a parsed JSON value (or any plain data: form values, server action arguments) and throws a 400
 * for the first unsafe string, key or value, anywhere in it. Iterative, so deep nesting cannot overflow
 * the stack.
 */
export function assertSafeValue(value: unknown, where: string): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') assertSafeText(v, where);
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v instanceof Map) for (const [k, item] of v) stack.push(k, item);
    else if (v instanceof Set) for (const item of v) stack.push(item);
    else if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !(v instanceof Blob)) {
      for (const [k, item] of Object.entries(v)) {
        assertSafeText(k, where);
        stack.push(item);
      }
    }
  }
}

/** decodeURIComponent that answers 400 instead of throwing URIError (bad escapes, invalid UTF-8). */
export function decodeComponent(raw: string, where: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new InvalidRequest(`${where} has malformed percent-encoding.`);
  }
  assertSafeText(decoded, where);
  return decoded;
}

const PLAIN_TARGET = /^[\x21-\x24\x26-\x7e]*$/;

/**
 * Checks a request target as it arrived on the wire (`/path?query`, or an absolute URL): every path
 * segment and every query name and value must decode, as UTF-8, to text without NUL. Throws a 400.
 */
export function assertValidRequestTarget(target: string): void {
  // Printable ASCII without `%` decodes to itself, with no NUL or surrogate: nothing to check. That is
  // nearly every request (package clients ask for plain paths), so the split and decode below are rare.
  if (PLAIN_TARGET.test(target)) return;
  let rest = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) {
    const afterAuthority = rest.indexOf('/', rest.indexOf('//') + 2);
    rest = afterAuthority === -1 ? '/' : rest.slice(afterAuthority);
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  for (const segment of path.split('/')) decodeComponent(segment, 'The URL path');
  if (q === -1) return;
  for (const pair of rest.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    const decodedName = decodeComponent(name.replace(/\+/g, ' '), 'A query parameter name');
    decodeComponent(value.replace(/\+/g, ' '), `The query parameter "${printable(decodedName)}"`);
  }
}

/** The request target's problem as a sentence, or null: for callers that answer without exceptions. */
export function requestTargetProblem(target: string): string | null {
  try {
    assertValidRequestTarget(target);
    return null;
  } catch (err) {
    if (err instanceof InvalidRequest) return err.message;
    throw err;
  }
}

/**
 * An integer query parameter within [min, max] (max may exceed 2^53: database keys are 64-bit), or the
 * default when absent. Digits only: no sign, exponent, fraction or whitespace.
 */
export function integerParam(
  raw: string | null | undefined,
  name: string,
  range: { min: bigint; max: bigint },
): bigint | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (!/^\d{1,30}$/.test(raw)) throw new InvalidRequest(`${name} must be a whole number.`);
  const n = BigInt(raw);
  if (n < range.min || n > range.max)
    throw new InvalidRequest(`${name} must be between ${range.min} and ${range.max}.`);
  return n;
}

function printable(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
