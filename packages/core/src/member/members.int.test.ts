// Orgs, members, roles and invitations against the real PostgreSQL: role rules, the last owner,
// invitation links (hashed, single use, bound to an email) and the audit trail of each change.
import { loadConfig } from '@pallet/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import { hashPassword } from '../auth/password';
import { type CoreContext, createCoreContext } from '../context/core-context';
import { Conflict, Forbidden, NotFound } from '../errors/domain-errors';
import { acceptInvitation, describeInvitation } from '../invitation/accept-invitation';
import { createInvitation } from '../invitation/create-invitation';
import { revokeInvitation } from '../invitation/revoke-invitation';
import { createOrg } from '../org/create-org';
import { hashTokenSecret } from '../token/token-secret';
import { getMe } from '../user/get-me';
import { changeMemberRole } from './change-member-role';
import { listMembers } from './list-members';
import { removeMember } from './remove-member';

let ctx: CoreContext;
const ORG = 'members-int';

async function user(email: string): Promise<Actor & { kind: 'user' }> {
  const u = await ctx.db.user.create({
    data: { email, passwordHash: await hashPassword('irrelevant pw 1') },
  });
  return { kind: 'user', userId: u.id, email, ip: '203.0.113.9' };
}

let owner: Actor & { kind: 'user' };
let admin: Actor & { kind: 'user' };
let viewer: Actor & { kind: 'user' };

async function join(who: Actor & { kind: 'user' }, role: 'admin' | 'publisher' | 'viewer' | 'owner') {
  const inv = await createInvitation(ctx, owner, ORG, { email: who.email, role });
  await acceptInvitation(ctx, who, inv.token);
}

beforeAll(async () => {
  ctx = createCoreContext(loadConfig({ ...process.env }));
  owner = await user('owner@members.test');
  admin = await user('admin@members.test');
  viewer = await user('viewer@members.test');
  await createOrg(ctx, owner, { slug: ORG, name: 'Members Inc' });
  await join(admin, 'admin');
  await join(viewer, 'viewer');
});

afterAll(async () => {
  await ctx.queues.close();
});

describe('orgs and members', () => {
  it('creates an org owned by its creator and lists it in /me', async () => {
    const me = await getMe(ctx, owner);
    expect(me.orgs).toContainEqual({ slug: ORG, name: 'Members Inc', role: 'owner' });
    await expect(createOrg(ctx, owner, { slug: ORG })).rejects.toBeInstanceOf(Conflict);
  });

  it('lists members with their roles, to members only', async () => {
    const members = await listMembers(ctx, viewer, ORG);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['owner@members.test', 'owner'],
      ['admin@members.test', 'admin'],
      ['viewer@members.test', 'viewer'],
    ]);
    const outsider = await user('outsider@members.test');
    await expect(listMembers(ctx, outsider, ORG)).rejects.toBeInstanceOf(NotFound);
  });

  it('lets the last owner neither leave nor be demoted', async () => {
    await expect(removeMember(ctx, owner, ORG, owner.userId)).rejects.toMatchObject({ code: 'last_owner' });
    await expect(changeMemberRole(ctx, owner, ORG, owner.userId, { role: 'admin' })).rejects.toMatchObject({
      code: 'last_owner',
    });
  });

  it('keeps admins away from owners and viewers away from roles', async () => {
    await expect(changeMemberRole(ctx, admin, ORG, owner.userId, { role: 'viewer' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(removeMember(ctx, admin, ORG, owner.userId)).rejects.toBeInstanceOf(Forbidden);
    await expect(changeMemberRole(ctx, admin, ORG, viewer.userId, { role: 'owner' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(changeMemberRole(ctx, viewer, ORG, viewer.userId, { role: 'admin' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    const changed = await changeMemberRole(ctx, admin, ORG, viewer.userId, { role: 'publisher' });
    expect(changed.role).toBe('publisher');
    await expect(authorizeOrg(ctx, viewer, ORG, 'write')).resolves.toMatchObject({ slug: ORG });
    await expect(authorizeOrg(ctx, viewer, ORG, 'admin')).rejects.toBeInstanceOf(Forbidden);
  });

  it('lets a second owner demote the first, and a member leave', async () => {
    const second = await user('second-owner@members.test');
    await join(second, 'owner');
    await changeMemberRole(ctx, second, ORG, owner.userId, { role: 'admin' });
    await changeMemberRole(ctx, second, ORG, owner.userId, { role: 'owner' });
    await removeMember(ctx, second, ORG, second.userId);
    await expect(authorizeOrg(ctx, second, ORG, 'read')).rejects.toBeInstanceOf(NotFound);
  });
});

describe('invitations', () => {
  it('stores only a hash, works once, and only for the named email', async () => {
    const invited = await user('invited@members.test');
    const other = await user('not-invited@members.test');
    const inv = await createInvitation(ctx, admin, ORG, { email: 'Invited@Members.test', role: 'publisher' });
    expect(inv.token).toMatch(/^pli_[0-9A-Za-z]{32}$/);
    expect(inv.url).toBe(`${ctx.config.appUrl}/invite/${inv.token}`);
    const row = await ctx.db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toBe(hashTokenSecret(inv.token));
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(await describeInvitation(ctx, inv.token)).toMatchObject({ org: { slug: ORG }, role: 'publisher' });
    await expect(acceptInvitation(ctx, other, inv.token)).rejects.toBeInstanceOf(NotFound);
    await expect(acceptInvitation(ctx, invited, inv.token)).resolves.toEqual({
      org: { slug: ORG, name: 'Members Inc' },
      role: 'publisher',
    });
    await expect(acceptInvitation(ctx, invited, inv.token)).rejects.toBeInstanceOf(NotFound);
  });

  it('accepts an open link from anyone until it is revoked or expires', async () => {
    const anyone = await user('anyone@members.test');
    const open = await createInvitation(ctx, owner, ORG, {});
    expect(open.role).toBe('viewer');
    await revokeInvitation(ctx, owner, ORG, open.id);
    await expect(acceptInvitation(ctx, anyone, open.token)).rejects.toBeInstanceOf(NotFound);
    const expiring = await createInvitation(ctx, owner, ORG, {});
    await ctx.db.invitation.update({
      where: { id: expiring.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(acceptInvitation(ctx, anyone, expiring.token)).rejects.toBeInstanceOf(NotFound);
    const fresh = await createInvitation(ctx, owner, ORG, { role: 'viewer' });
    await expect(acceptInvitation(ctx, anyone, fresh.token)).resolves.toMatchObject({ role: 'viewer' });
  });

  it('does not let admins invite owners', async () => {
    await expect(createInvitation(ctx, admin, ORG, { role: 'owner' })).rejects.toBeInstanceOf(Forbidden);
  });

  it('records every change in the audit log with actor, target and IP', async () => {
    const org = await ctx.db.org.findUniqueOrThrow({ where: { slug: ORG } });
    const events = await ctx.db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { id: 'asc' } });
    const actions = new Set(events.map((e) => e.action));
    for (const a of [
      'org.create',
      'invitation.create',
      'invitation.revoke',
      'member.join',
      'member.role_change',
      'member.leave',
    ]) {
      expect(actions, a).toContain(a);
    }
    const roleChange = events.find((e) => e.action === 'member.role_change')!;
    expect(roleChange).toMatchObject({ actor: 'admin@members.test', ip: '203.0.113.9' });
    expect(roleChange.target).toBe('member viewer@members.test');
  });
});
