// Key rotation with a transition (issue 11): a new key becomes active, the active one `retiring`, and
// every distribution is republished at once signed by both, so machines holding either key verify.
// The served keyring (gpg.asc, gpg.gpg) holds both from the commit on; rpms signed from now on use the
// new key. `retire` ends the transition.
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { Conflict, InvalidRequest } from '../errors/domain-errors';
import { generateRepositoryKey, insertSigningKey, type KeyAlgorithm } from './create-signing-key';
import { type SigningKeyView, toSigningKeyView } from './key-view';
import { bumpRepositoryGenerations, requestRepublication } from './republish-repository';

export const rotateSigningKeyInput = z
  .object({
    algorithm: z.enum(['rsa4096', 'ed25519']).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export function parseKeyChangeInput<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Serializes key changes of one repository (held until the transaction ends). */
export async function lockRepositoryKeys(
  tx: Parameters<Parameters<CoreContext['db']['$transaction']>[0]>[0],
  repositoryId: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`keys:${repositoryId}`}))`;
}

export async function rotateSigningKey(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
  raw: unknown,
): Promise<SigningKeyView> {
  const input = parseKeyChangeInput(rotateSigningKeyInput, raw);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : undefined;
  if (expiresAt && expiresAt.getTime() <= Date.now() + 60_000)
    throw new InvalidRequest('expiresAt: must be in the future.');
  const { org, repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'admin');
  const current = await ctx.db.signingKey.findMany({
    where: { repositoryId: repository.id, status: { in: ['ACTIVE', 'RETIRING'] } },
  });
  checkRotatable(current);
  const algorithm: KeyAlgorithm =
    input.algorithm ?? (current.find((k) => k.status === 'ACTIVE')?.algorithm as KeyAlgorithm) ?? 'rsa4096';
  // Key generation (seconds for RSA-4096) happens before the transaction, which re-checks the state.
  const generated = await generateRepositoryKey(
    ctx,
    { orgSlug: org.slug, repoSlug: repository.slug, keyValidityDays: repository.keyValidityDays },
    algorithm,
    { expiresAt },
  );
  return startKeyTransition(ctx, actor, { org, repository }, generated, 'signing_key.rotate');
}

/**
 * The step rotation and import share: under the repository's key lock, re-check that no transition is
 * running, make the active key `retiring`, insert the new one as active, bump the keyring version and
 * every distribution's generation, audit, then republish and queue the keyring rebuild.
 */
export async function startKeyTransition(
  ctx: CoreContext,
  actor: Actor,
  { org, repository }: { org: { id: string }; repository: { id: string; slug: string } },
  newKey: Parameters<typeof insertSigningKey>[2],
  action: 'signing_key.rotate' | 'signing_key.import',
): Promise<SigningKeyView> {
  const { key, pending } = await ctx.db.$transaction(async (tx) => {
    await lockRepositoryKeys(tx, repository.id);
    const now = await tx.signingKey.findMany({
      where: { repositoryId: repository.id, status: { in: ['ACTIVE', 'RETIRING'] } },
    });
    checkRotatable(now);
    const previous = now.filter((k) => k.status === 'ACTIVE');
    await tx.signingKey.updateMany({
      where: { id: { in: previous.map((k) => k.id) } },
      data: { status: 'RETIRING' },
    });
    const key = await insertSigningKey(tx, repository.id, newKey);
    await tx.repository.update({
      where: { id: repository.id },
      data: { keyringVersion: { increment: 1 } },
    });
    const pending = await bumpRepositoryGenerations(tx, repository.id);
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor,
      action,
      target: `key ${key.fingerprint}`,
      targetId: key.id,
      details: {
        repository: repository.slug,
        algorithm: key.algorithm,
        retiring: previous.map((k) => k.fingerprint),
        expiresAt: key.expiresAt?.toISOString() ?? null,
        republished: pending.length,
      },
    });
    return { key, pending };
  });
  await requestRepublication(ctx, pending);
  await ctx.queues.enqueueRekey({ repositoryId: repository.id, resignRpms: false });
  return toSigningKeyView(key);
}

export function checkRotatable(keys: { status: string; fingerprint: string }[]): void {
  const retiring = keys.find((k) => k.status === 'RETIRING');
  if (retiring)
    throw new Conflict(
      `Key ${retiring.fingerprint} is still retiring: retire it before rotating again.`,
      'rotation_in_progress',
    );
}
