// Authorization reads the org, the caller's membership and the repository in one query: what it returns
// must be the rows themselves (every column, with the types Prisma gives them), and its refusals the same
// as reading them one by one.
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { Forbidden, NotFound, Unauthorized } from '../errors/domain-errors';
import { signUp } from '../org/sign-up';
import { createRepository } from '../repository/create-repository';
import { authenticateToken } from '../token/authenticate-token';
import { createToken } from '../token/create-token';
import type { Actor } from './actor';
import { authorizeOrg, authorizeRepository } from './authorize';

let ctx: CoreContext;
let owner: Actor;
let ownerUserId: string;

beforeAll(async () => {
  ctx = createCoreContext(loadConfig(process.env));
  const made = await signUp(ctx, {
    email: 'owner@authz.test',
    password: 'long enough password',
    org: 'authz',
  });
  ownerUserId = made.user.id;
  owner = await authenticateToken(ctx, made.token);
  await createRepository(ctx, owner, 'authz', { name: 'tools', visibility: 'private' });
  await signUp(ctx, { email: 'owner@elsewhere.test', password: 'long enough password', org: 'elsewhere' });
});

afterAll(async () => {
  await ctx.db.$disconnect();
});

describe('authorizeRepository', () => {
  it('returns the org and repository rows exactly as Prisma reads them', async () => {
    const got = await authorizeRepository(ctx, owner, 'authz', 'tools', 'write');
    const org = await ctx.db.org.findUniqueOrThrow({ where: { slug: 'authz' } });
    const repository = await ctx.db.repository.findUniqueOrThrow({
      where: { orgId_slug: { orgId: org.id, slug: 'tools' } },
    });
    expect(got.org).toStrictEqual(org);
    expect(got.repository).toStrictEqual(repository);
  });

  it('answers 404 for an unknown org, an unknown repository and another org, in that order', async () => {
    await expect(authorizeRepository(ctx, owner, 'nope', 'tools', 'read')).rejects.toMatchObject({
      message: expect.stringMatching(/org/i),
    });
    await expect(authorizeRepository(ctx, owner, 'authz', 'nope', 'read')).rejects.toBeInstanceOf(NotFound);
    await expect(authorizeRepository(ctx, owner, 'elsewhere', 'tools', 'read')).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(
      authorizeRepository(ctx, { kind: 'anonymous' }, 'authz', 'tools', 'read'),
    ).rejects.toBeInstanceOf(Unauthorized);
  });

  it('checks a signed-in user by their membership, and a read token by its scope', async () => {
    const user: Actor = { kind: 'user', userId: ownerUserId, email: 'owner@authz.test' };
    await expect(authorizeRepository(ctx, user, 'authz', 'tools', 'admin')).resolves.toBeDefined();
    await expect(authorizeRepository(ctx, user, 'elsewhere', 'tools', 'read')).rejects.toBeInstanceOf(
      NotFound,
    );
    const reader = await authenticateToken(
      ctx,
      (await createToken(ctx, owner, 'authz', { name: 'reader', scopes: ['repo:read'] })).token,
    );
    await expect(authorizeRepository(ctx, reader, 'authz', 'tools', 'read')).resolves.toBeDefined();
    await expect(authorizeRepository(ctx, reader, 'authz', 'tools', 'write')).rejects.toBeInstanceOf(
      Forbidden,
    );
    // A missing repository answers 404 before the scope answers 403.
    await expect(authorizeRepository(ctx, reader, 'authz', 'nope', 'write')).rejects.toBeInstanceOf(NotFound);
  });
});

describe('authorizeOrg', () => {
  it('returns the org row exactly as Prisma reads it', async () => {
    const user: Actor = { kind: 'user', userId: ownerUserId, email: 'owner@authz.test' };
    expect(await authorizeOrg(ctx, user, 'authz', 'admin')).toStrictEqual(
      await ctx.db.org.findUniqueOrThrow({ where: { slug: 'authz' } }),
    );
  });
});
