// A token's access log (downloads through /dl, per minute and client address) and its alert state.
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { NotFound } from '../errors/domain-errors';

export interface TokenAccessView {
  token: {
    id: string;
    name: string;
    prefix: string;
    revokedAt: string | null;
    suspiciousAt: string | null;
    suspiciousReason: string | null;
  };
  /** distinct client addresses in the returned entries */
  addresses: number;
  items: { at: string; ip: string; requests: number; files: string[] }[];
}

export async function listTokenAccess(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  tokenId: string,
  opts: { limit?: number } = {},
): Promise<TokenAccessView> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const token = await ctx.db.apiToken.findFirst({ where: { id: tokenId, orgId: org.id } });
  if (!token) throw new NotFound('token');
  const rows = await ctx.db.tokenAccess.findMany({
    where: { tokenId: token.id },
    orderBy: [{ minute: 'desc' }, { ip: 'asc' }],
    take: Math.min(Math.max(opts.limit ?? 200, 1), 1000),
  });
  return {
    token: {
      id: token.id,
      name: token.name,
      prefix: token.displayPrefix,
      revokedAt: token.revokedAt?.toISOString() ?? null,
      suspiciousAt: token.suspiciousAt?.toISOString() ?? null,
      suspiciousReason: token.suspiciousReason,
    },
    addresses: new Set(rows.map((r) => r.ip)).size,
    items: rows.map((r) => ({ at: r.minute.toISOString(), ip: r.ip, requests: r.requests, files: r.files })),
  };
}
