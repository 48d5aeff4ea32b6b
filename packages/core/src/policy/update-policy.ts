// Replaces a repository's upload policy (admins only); audited with the rules before and after.
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';
import { type PolicyView, policyBody, storedRules } from './policy-rules';

export async function updatePolicy(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  body: unknown,
): Promise<PolicyView> {
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const parsed = policyBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid policy'}`);
  }
  const rules = parsed.data.rules;
  const row = await ctx.db.$transaction(async (tx) => {
    const before = await tx.repositoryPolicy.findUnique({ where: { repositoryId: repository.id } });
    const saved = await tx.repositoryPolicy.upsert({
      where: { repositoryId: repository.id },
      create: { repositoryId: repository.id, rules },
      update: { rules },
    });
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action: 'repository.policy.update',
      target: `repository ${repository.slug}`,
      targetId: repository.id,
      details: { before: storedRules(before?.rules), after: rules },
    });
    return saved;
  });
  return { rules, updatedAt: row.updatedAt.toISOString() };
}
