// A token never outranks its creator's current role.
import { describe, expect, it } from 'vitest';
import { scopesWithinRole } from './authorize';

describe('scopesWithinRole', () => {
  it('lowers each scope to what the role allows', () => {
    expect(scopesWithinRole(['org:admin'], 'OWNER')).toEqual(['org:admin']);
    expect(scopesWithinRole(['org:admin'], 'ADMIN')).toEqual(['org:admin']);
    expect(scopesWithinRole(['org:admin'], 'PUBLISHER')).toEqual(['repo:write']);
    expect(scopesWithinRole(['org:admin', 'repo:read'], 'VIEWER')).toEqual(['repo:read']);
    expect(scopesWithinRole(['repo:read'], 'PUBLISHER')).toEqual(['repo:read']);
    expect(scopesWithinRole(['repo:write', 'repo:read'], 'ADMIN')).toEqual(['repo:write', 'repo:read']);
  });
});
