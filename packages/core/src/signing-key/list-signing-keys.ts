// Lists a repository's signing keys (public facts only).
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export interface SigningKeyView {
  fingerprint: string;
  algorithm: string;
  bits?: number;
  status: 'active' | 'retiring' | 'retired';
  createdAt: string;
  expiresAt: string | null;
}

export async function listSigningKeys(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<SigningKeyView[]> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const keys = await ctx.db.signingKey.findMany({
    where: { repositoryId: repository.id },
    orderBy: { createdAt: 'desc' },
  });
  return keys.map((k) => ({
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    ...(k.bits ? { bits: k.bits } : {}),
    status: k.status.toLowerCase() as SigningKeyView['status'],
    createdAt: k.createdAt.toISOString(),
    expiresAt: k.expiresAt?.toISOString() ?? null,
  }));
}
