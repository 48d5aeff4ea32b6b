// A signed-in user creates another org and becomes its owner. Tokens belong to one org and cannot.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import type { CoreContext } from '../context/core-context';
import { Conflict, Forbidden, InvalidRequest, Unauthorized } from '../errors/domain-errors';
import type { RoleName } from '../member/member-role';
import type { OrgView } from './get-org';
import { slugSchema } from './slug';

const createOrgInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(100).optional(),
});

export async function createOrg(
  ctx: CoreContext,
  actor: Actor,
  raw: unknown,
): Promise<OrgView & { role: RoleName }> {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  if (actor.kind !== 'user') {
    throw new Forbidden('Orgs are created by a signed-in user, not a token.', 'user_required');
  }
  const parsed = createOrgInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  try {
    const org = await ctx.db.$transaction(async (tx) => {
      const org = await tx.org.create({ data: { slug: input.slug, name: input.name ?? input.slug } });
      await tx.membership.create({ data: { orgId: org.id, userId: actor.userId, role: 'OWNER' } });
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'org.create',
        target: `org ${org.slug}`,
        targetId: org.id,
      });
      return org;
    });
    return { slug: org.slug, name: org.name, createdAt: org.createdAt.toISOString(), role: 'owner' };
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new Conflict('This org name is taken.', 'org_taken');
    throw err;
  }
}
