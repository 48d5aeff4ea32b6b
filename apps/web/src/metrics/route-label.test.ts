import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRouteLabeler } from './route-label';

const dir = mkdtempSync(join(tmpdir(), 'pallet-routes-'));
writeFileSync(
  join(dir, 'app-path-routes-manifest.json'),
  JSON.stringify({
    '/api/v1/orgs/[org]/repos/[repo]/packages/route': '/api/v1/orgs/[org]/repos/[repo]/packages',
    '/api/v1/orgs/[org]/repos/[repo]/packages/[id]/route': '/api/v1/orgs/[org]/repos/[repo]/packages/[id]',
    '/(dashboard)/orgs/new/page': '/orgs/new',
    '/(dashboard)/orgs/[org]/page': '/orgs/[org]',
    '/api/auth/[...nextauth]/route': '/api/auth/[...nextauth]',
  }),
);
const label = loadRouteLabeler(dir);

describe('route labels', () => {
  it('names the route pattern, not the raw path', () => {
    expect(label('/api/v1/orgs/acme/repos/tools/packages?page=2')).toBe(
      '/api/v1/orgs/[org]/repos/[repo]/packages',
    );
    expect(label('/api/v1/orgs/acme/repos/tools/packages/clx123')).toBe(
      '/api/v1/orgs/[org]/repos/[repo]/packages/[id]',
    );
    expect(label('/api/auth/callback/credentials')).toBe('/api/auth/[...nextauth]');
  });

  it('prefers static segments and folds unknown paths into one value', () => {
    expect(label('/orgs/new')).toBe('/orgs/new');
    expect(label('/orgs/acme')).toBe('/orgs/[org]');
    expect(label('/no/such/page/12345')).toBe('unmatched');
    expect(label('/dl/acme/tools/dists/bookworm/InRelease')).toBe('/dl');
  });
});
