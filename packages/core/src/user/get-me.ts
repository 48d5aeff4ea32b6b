// Who the caller is: the signed-in user and their orgs with roles, or the token and its one org.
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Unauthorized } from '../errors/domain-errors';
import { type RoleName, toRoleName } from '../member/member-role';

export interface MeView {
  user: { id: string; email: string; name: string | null } | null;
  token: { id: string; name: string; prefix: string; scopes: string[]; repos: string[] } | null;
  orgs: { slug: string; name: string; role: RoleName | null }[];
}

export async function getMe(ctx: CoreContext, actor: Actor): Promise<MeView> {
  if (actor.kind === 'user') {
    const user = await ctx.db.user.findUnique({
      where: { id: actor.userId },
      include: { memberships: { include: { org: true }, orderBy: { createdAt: 'asc' } } },
    });
    if (!user) throw new Unauthorized();
    return {
      user: { id: user.id, email: user.email, name: user.name },
      token: null,
      orgs: user.memberships.map((m) => ({ slug: m.org.slug, name: m.org.name, role: toRoleName(m.role) })),
    };
  }
  if (actor.kind === 'token') {
    const [org, repos] = await Promise.all([
      ctx.db.org.findUniqueOrThrow({ where: { id: actor.orgId } }),
      ctx.db.repository.findMany({ where: { id: { in: actor.repositoryIds } }, select: { slug: true } }),
    ]);
    return {
      user: null,
      token: {
        id: actor.tokenId,
        name: actor.name,
        prefix: actor.displayPrefix,
        scopes: actor.scopes,
        repos: repos.map((r) => r.slug),
      },
      orgs: [{ slug: org.slug, name: org.name, role: null }],
    };
  }
  throw new Unauthorized();
}
