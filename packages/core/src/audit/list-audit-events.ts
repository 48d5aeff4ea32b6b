// Reads an org's audit log, newest first, with keyset pagination (`before` = an event id).
import type { Actor } from '../auth/actor';
import { authorizeOrg } from '../auth/authorize';
import type { CoreContext } from '../context/core-context';
import { InvalidRequest } from '../errors/domain-errors';

/** Audit event ids are PostgreSQL BIGINT: a larger cursor is not an id (and would fail the query). */
export const AUDIT_EVENT_ID_MAX = 2n ** 63n - 1n;

/** Whether a `before` cursor can be an audit event id (decimal digits, within BIGINT). */
export function isAuditEventId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= AUDIT_EVENT_ID_MAX;
}

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
  if (opts.before !== undefined && !isAuditEventId(opts.before))
    throw new InvalidRequest('before must be an event id.');
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
