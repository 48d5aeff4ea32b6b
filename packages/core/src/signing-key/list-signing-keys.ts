// Lists a repository's signing keys (public facts only).
import type { Actor } from '../auth/actor';
import { authorizeRepository } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { type SigningKeyView, toSigningKeyView } from './key-view';

export type { SigningKeyStatus, SigningKeyView } from './key-view';

export async function listSigningKeys(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  repoSlug: string,
): Promise<SigningKeyView[]> {
  const { repository } = await authorizeRepository(ctx, actor, orgSlug, repoSlug, 'read');
  const keys = await ctx.db.signingKey.findMany({
    where: { repositoryId: repository.id },
    // Creation times are the OpenPGP keys' own (whole seconds): on a tie the active key is the newer.
    orderBy: [{ createdAt: 'desc' }, { status: 'asc' }],
  });
  return keys.map((k) => toSigningKeyView(k));
}
