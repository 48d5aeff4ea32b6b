// Reads an org's audit log, newest first, with keyset pagination (`before` = an event id).
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';

export interface AuditEventView {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  ip: string | null;
  details: unknown;
}

export async function listAuditEvents(
  ctx: CoreContext,
  actor: Actor,
  orgSlug: string,
  opts: { limit: number; before?: string; action?: string },
): Promise<{ items: AuditEventView[]; nextBefore: string | null }> {
  const org = await authorizeOrg(ctx, actor, orgSlug, 'admin');
  const rows = await ctx.db.auditEvent.findMany({
    where: {
      orgId: org.id,
      ...(opts.before ? { id: { lt: BigInt(opts.before) } } : {}),
      ...(opts.action ? { action: { startsWith: opts.action } } : {}),
    },
    orderBy: { id: 'desc' },
    take: opts.limit,
  });
  const items = rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    ip: r.ip,
    details: r.details,
  }));
  return { items, nextBefore: rows.length === opts.limit ? (items.at(-1)?.id ?? null) : null };
}
