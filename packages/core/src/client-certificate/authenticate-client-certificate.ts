// Who presents a client certificate the edge verified: the registered grant it matches, as a read-only
// token actor (so every repository check treats it exactly like a repo:read token), or nobody.
import type { Actor, Scope } from '../auth/actor';
import { scopesWithinRole } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

const LAST_USED_RESOLUTION_MS = 60_000;

/** The grant of a certificate by its SHA-256 fingerprint; null when unknown, revoked, expired or orphaned. */
export async function authenticateClientCertificate(
  ctx: CoreContext,
  fingerprint: string,
  ip?: string,
): Promise<Actor | null> {
  const cert = await ctx.db.clientCertificate.findUnique({ where: { fingerprint } });
  const now = new Date();
  if (!cert || cert.revokedAt || cert.notAfter <= now || !cert.createdById) return null;
  const creator = await ctx.db.membership.findUnique({
    where: { orgId_userId: { orgId: cert.orgId, userId: cert.createdById } },
    select: { role: true },
  });
  if (!creator) return null;
  const scopes = scopesWithinRole(['repo:read'] as Scope[], creator.role);
  if (!cert.lastUsedAt || now.getTime() - cert.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await ctx.db.clientCertificate.update({ where: { id: cert.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: 'token',
    tokenId: `cert:${cert.id}`,
    orgId: cert.orgId,
    name: `certificate ${cert.name}`,
    displayPrefix: cert.fingerprint.slice(0, 12),
    scopes,
    repositoryIds: cert.repositoryIds,
    creatorUserId: cert.createdById,
    ip,
  };
}
