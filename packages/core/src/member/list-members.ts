// Lists an org's members with their roles. Members of any role may see it; tokens need org:admin
// (a customer's read token must not reveal who works on the org).
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type RoleName, toRoleName } from './member-role';

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: RoleName;
  joinedAt: string;
}

export async function listMembers(ctx: CoreContext, actor: Actor, orgSlug: string): Promise<MemberView[]> {
  const org = await authorizeOrg(ctx, actor, orgSlug, actor.kind === 'token' ? 'admin' : 'read');
  const rows = await ctx.db.membership.findMany({
    where: { orgId: org.id },
    include: { user: { select: { email: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((m) => ({
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: toRoleName(m.role),
    joinedAt: m.createdAt.toISOString(),
  }));
}
