// Reads one org the actor belongs to.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export interface OrgView {
  slug: string;
  name: string;
  createdAt: string;
}

export async function getOrg(ctx: CoreContext, actor: Actor, orgSlug: string): Promise<OrgView> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'read');
  return { slug: org.slug, name: org.name, createdAt: org.createdAt.toISOString() };
}
