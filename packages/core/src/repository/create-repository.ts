// Creates a repository and its own signing key in one transaction.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest } from '../errors/domain-errors';
import { slugSchema } from '../org/slug';
import { generateRepositoryKey, insertSigningKey } from '../signing-key/create-signing-key';
import { type RepositoryView, toRepositoryView } from './repository-view';

export const createRepositoryInput = z.object({
  name: slugSchema,
  visibility: z.enum(['public', 'private']).default('public'),
  description: z.string().trim().max(500).optional(),
  keyAlgorithm: z.enum(['rsa4096', 'ed25519']).default('rsa4096'),
  keyValidityDays: z.number().int().min(1).max(3650).optional(),
});

export async function createRepository(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  raw: unknown,
): Promise<RepositoryView> {
  const parsed = createRepositoryInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const existing = await ctx.db.repository.findUnique({
    where: { orgId_slug: { orgId: org.id, slug: input.name } },
  });
  if (existing) throw new Conflict('A repository with this name already exists.', 'repository_exists');
  const generated = await generateRepositoryKey(
    ctx,
    { orgSlug: org.slug, repoSlug: input.name, keyValidityDays: input.keyValidityDays },
    input.keyAlgorithm,
  );
  try {
    const repo = await ctx.db.$transaction(async (tx) => {
      const repo = await tx.repository.create({
        data: {
          orgId: org.id,
          slug: input.name,
          name: input.name,
          description: input.description ?? null,
          visibility: input.visibility === 'private' ? 'PRIVATE' : 'PUBLIC',
          ...(input.keyValidityDays ? { keyValidityDays: input.keyValidityDays } : {}),
        },
      });
      const key = await insertSigningKey(tx, repo.id, generated);
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'repository.create',
        target: `repository ${repo.slug}`,
        targetId: repo.id,
        details: { visibility: input.visibility },
      });
      await recordAuditEvent(tx, {
        orgId: org.id,
        actor,
        action: 'signing_key.create',
        target: `key ${key.fingerprint}`,
        targetId: key.id,
        details: { repository: repo.slug, algorithm: key.algorithm },
      });
      return repo;
    });
    return toRepositoryView(repo, { packageCount: 0, distributions: [] });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw new Conflict('A repository with this name already exists.', 'repository_exists');
    throw err;
  }
}
