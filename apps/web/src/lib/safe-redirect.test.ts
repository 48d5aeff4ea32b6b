import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './safe-redirect';

const ORIGIN = 'https://pallet.example.com';

describe('safeCallbackPath', () => {
  it.each([
    ['/orgs/acme/repos', '/orgs/acme/repos'],
    ['/orgs/acme/repos?distribution=debian%2Fbookworm', '/orgs/acme/repos?distribution=debian%2Fbookworm'],
    ['/invite/pli_abc123', '/invite/pli_abc123'],
    ['/orgs/acme#tokens', '/orgs/acme#tokens'],
    ['/a%2541', '/a%2541'],
    [`${ORIGIN}/orgs/acme`, '/orgs/acme'],
    [`${ORIGIN}/orgs/acme?x=1#y`, '/orgs/acme?x=1#y'],
    ['https://PALLET.example.com/orgs', '/orgs'],
    ['/', '/'],
  ])('keeps the local path %s', (raw, expected) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(expected);
  });

  it.each([
    '//evil.example/x',
    '///evil.example/x',
    '/\\evil.example/x',
    '\\/evil.example/x',
    '\\\\evil.example/x',
    '/%5Cevil.example/x',
    '/%5cevil.example/x',
    '/%255Cevil.example/x',
    '/%25255Cevil.example/x',
    '/%2525255Cevil.example/x',
    '/%09/evil.example/x',
    '/%0a/evil.example/x',
    '/%0D%0A/evil.example/x',
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    '/%2F/evil.example/x',
    '/%2f%2fevil.example/x',
    '/%252F%252Fevil.example/x',
    '/.//evil.example/x',
    '/./%2F/evil.example',
    'https://evil.example/x',
    'HTTPS://evil.example/x',
    'http://pallet.example.com/x',
    'https://pallet.example.com.evil.example/x',
    'https://pallet.example.com@evil.example/x',
    'https://user:pw@pallet.example.com/x',
    'https:/\\evil.example/x',
    'https://pallet.example.com\\@evil.example/x',
    ' https://evil.example',
    '//pallet.example.com/x',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,hi',
    'evil.example',
    '/%E0%A4%A',
    '/100%',
    '/a\u0000b',
    '/a%00b',
    '',
  ])('refuses %j', (raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe('/');
  });

  it('refuses what is not a string, or too long to be a path of ours', () => {
    expect(safeCallbackPath(`/${'a'.repeat(3000)}`, ORIGIN)).toBe('/');
    expect(safeCallbackPath(undefined, ORIGIN)).toBe('/');
    expect(safeCallbackPath(['/orgs'], ORIGIN)).toBe('/');
    expect(safeCallbackPath(null, ORIGIN, '/orgs')).toBe('/orgs');
  });

  it('never returns a path a browser would take off the origin', () => {
    // Every accepted answer, resolved against the origin by the URL parser browsers use, stays home.
    const samples = [
      '/x',
      '/%5C',
      '/\\x',
      '/%2F%2Fx',
      '/..//x',
      '/./x',
      '/%2e%2e//x',
      '/%09x',
      `${ORIGIN}//x`,
    ];
    for (const raw of samples) {
      const path = safeCallbackPath(raw, ORIGIN);
      expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
      expect(path.startsWith('//')).toBe(false);
    }
  });
});
