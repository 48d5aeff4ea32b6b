// A token never does more than its creator may do now: demotion lowers it, removal kills it, and a token
// made by a token belongs to the person behind the first one.
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import { hashPassword } from '../auth/password';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { Forbidden, Unauthorized } from '../errors/domain-errors';
import { acceptInvitation } from '../invitation/accept-invitation';
import { createInvitation } from '../invitation/create-invitation';
import { changeMemberRole } from '../member/change-member-role';
import { removeMember } from '../member/remove-member';
import { createOrg } from '../org/create-org';
import { authenticateToken } from './authenticate-token';
import { createToken } from './create-token';
import { listTokens } from './list-tokens';

let ctx: CoreContext;
const ORG = 'token-creator-int';
let owner: Actor & { kind: 'user' };
let member: Actor & { kind: 'user' };

async function user(email: string): Promise<Actor & { kind: 'user' }> {
  const u = await ctx.db.user.create({
    data: { email, passwordHash: await hashPassword('irrelevant pw 1') },
  });
  return { kind: 'user', userId: u.id, email };
}

beforeAll(async () => {
  ctx = createCoreContext(loadConfig({ ...process.env }));
  owner = await user('owner@token-creator.test');
  member = await user('member@token-creator.test');
  await createOrg(ctx, owner, { slug: ORG, name: 'Token Creator' });
  const inv = await createInvitation(ctx, owner, ORG, { email: member.email, role: 'admin' });
  await acceptInvitation(ctx, member, inv.token);
});

afterAll(async () => {
  await ctx.queues.close();
});

describe('tokens and their creators', () => {
  it('bounds a token by its creator role now, records the person behind token-made tokens, and dies with membership', async () => {
    const made = await createToken(ctx, member, ORG, { name: 'admin by member', scopes: ['org:admin'] });
    expect(made.createdBy).toEqual({ id: member.userId, email: member.email });
    const asToken = await authenticateToken(ctx, made.token, '198.51.100.1');
    const child = await createToken(ctx, asToken, ORG, { name: 'child', scopes: ['org:admin'] });
    expect(child.createdBy).toEqual({ id: member.userId, email: member.email });
    await expect(authorizeOrg(ctx, asToken, ORG, 'admin')).resolves.toMatchObject({ slug: ORG });

    await changeMemberRole(ctx, owner, ORG, member.userId, { role: 'publisher' });
    const demoted = await authenticateToken(ctx, made.token);
    expect(demoted).toMatchObject({ scopes: ['repo:write'] });
    await expect(authorizeOrg(ctx, demoted, ORG, 'admin')).rejects.toBeInstanceOf(Forbidden);
    await expect(authorizeOrg(ctx, demoted, ORG, 'write')).resolves.toMatchObject({ slug: ORG });
    await expect(authenticateToken(ctx, child.token)).resolves.toMatchObject({ scopes: ['repo:write'] });
    const listedDemoted = await listTokens(ctx, owner, ORG);
    expect(listedDemoted.find((t) => t.id === made.id)).toMatchObject({
      scopes: ['org:admin'],
      effectiveScopes: ['repo:write'],
    });

    await removeMember(ctx, owner, ORG, member.userId);
    await expect(authenticateToken(ctx, made.token)).rejects.toBeInstanceOf(Unauthorized);
    await expect(authenticateToken(ctx, child.token)).rejects.toBeInstanceOf(Unauthorized);
    const listed = await listTokens(ctx, owner, ORG);
    const memberTokens = listed.filter((t) => t.createdBy?.email === member.email);
    expect(memberTokens.every((t) => t.revokedAt && t.effectiveScopes.length === 0)).toBe(true);
    const revocations = await ctx.db.auditEvent.count({
      where: { action: 'token.revoke', details: { path: ['reason'], equals: 'creator_left_org' } },
    });
    expect(revocations).toBe(2);
  });

  it('records the person behind a token as the creator of an invitation the token makes', async () => {
    const made = await createToken(ctx, owner, ORG, { name: 'inviter', scopes: ['org:admin'] });
    const asToken = await authenticateToken(ctx, made.token, '198.51.100.2');
    const inv = await createInvitation(ctx, asToken, ORG, { role: 'viewer' });
    const row = await ctx.db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.createdById).toBe(owner.userId);
  });
});
