import { InvalidRequest } from '@pallet/core';
import { describe, expect, it } from 'vitest';
import {
  assertSafeValue,
  assertValidRequestTarget,
  integerParam,
  requestTargetProblem,
  unsafeTextReason,
} from './edge-input';

describe('unsafeTextReason', () => {
  it('accepts ordinary text, including astral characters written as surrogate pairs', () => {
    expect(unsafeTextReason('héllo wörld 📦 ✓')).toBeNull();
    expect(unsafeTextReason('')).toBeNull();
  });

  it.each([
    ['a\u0000b', 'NUL'],
    ['\u0000', 'NUL'],
    ['x\ud800', 'surrogate'],
    ['\udfffx', 'surrogate'],
    ['\ud83d', 'surrogate'],
    ['ok📦\udc00', 'surrogate'],
  ])('refuses %j (%s)', (text, kind) => {
    expect(unsafeTextReason(text)).toContain(kind);
  });
});

describe('assertSafeValue', () => {
  it('walks nested arrays and objects, keys included', () => {
    expect(() => assertSafeValue({ a: [1, { b: 'fine', c: null, d: true }] }, 'body')).not.toThrow();
    expect(() => assertSafeValue({ a: [1, { b: 'bad\u0000' }] }, 'The JSON body')).toThrow(
      /The JSON body contains a NUL character/,
    );
    expect(() => assertSafeValue({ 'key\u0000': 1 }, 'body')).toThrow(InvalidRequest);
    expect(() => assertSafeValue([[[['\ud800']]]], 'body')).toThrow(/surrogate/);
    expect(() => assertSafeValue(JSON.parse('{"x":"\\u0000"}'), 'body')).toThrow(InvalidRequest);
    expect(() => assertSafeValue(JSON.parse('{"x":"\\ud800"}'), 'body')).toThrow(InvalidRequest);
  });

  it('survives nesting far deeper than the call stack', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => assertSafeValue(deep, 'body')).toThrow(InvalidRequest);
  });
});

describe('assertValidRequestTarget', () => {
  it.each([
    '/',
    '/api/v1/orgs/acme/repos?per_page=10&page=2',
    '/dl/acme/tools/deb/debian/pool/bookworm/main/h/hello/hello_1.0%2B1_amd64.deb',
    '/api/v1/orgs/acme/repos/x/packages?q=caf%C3%A9+au+lait&distribution=debian%2Fbookworm',
    '/sign-in?callbackUrl=%2Forgs%2Facme&&flag',
    'http://127.0.0.1:3000/api/v1/health?x=%F0%9F%93%A6',
    'http://127.0.0.1:3000',
  ])('accepts %s', (target) => {
    expect(requestTargetProblem(target)).toBeNull();
  });

  it.each([
    ['/api/v1/orgs/%00', /path.*NUL/],
    ['/api/v1/orgs/acme%00x/repos', /NUL/],
    ['/api/v1/orgs/%ZZ', /malformed/],
    ['/dl/%E0%A4%A', /malformed/],
    ['/dl/acme/%', /malformed/],
    ['/dl/%ED%A0%80', /malformed/],
    ['/dl/%C0%AF', /malformed/],
    ['/x?q=%00', /query parameter "q".*NUL/],
    ['/x?q=a&%00=1', /name.*NUL/],
    ['/x?q=%E0%A4%A', /malformed/],
    ['/x?q=100%', /malformed/],
    ['http://h:1/x%00?y=1', /NUL/],
  ])('refuses %s', (target, message) => {
    expect(() => assertValidRequestTarget(target)).toThrow(message);
    expect(requestTargetProblem(target)).toMatch(message);
  });

  it('ignores a fragment', () => {
    expect(requestTargetProblem('/x#%ZZ')).toBeNull();
  });
});

describe('integerParam', () => {
  const range = { min: 0n, max: 2n ** 63n - 1n };
  it('reads digits within range, and nothing when absent', () => {
    expect(integerParam('42', 'before', range)).toBe(42n);
    expect(integerParam('9223372036854775807', 'before', range)).toBe(2n ** 63n - 1n);
    expect(integerParam(undefined, 'before', range)).toBeUndefined();
    expect(integerParam('', 'before', range)).toBeUndefined();
  });
  it.each([
    '9223372036854775808',
    '9999999999999999999',
    '99999999999999999999999999999999999',
    '-1',
    '1e3',
    '0x10',
    ' 1',
    '1.5',
    'NaN',
  ])('refuses %j with a 400', (raw) => {
    expect(() => integerParam(raw, 'before', range)).toThrow(InvalidRequest);
  });
});
