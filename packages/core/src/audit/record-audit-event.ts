// Appends one AuditEvent; called by core services inside the transaction of the change it records.
import { asRawSql, Prisma, queryRows, type RawSql, type Tx } from '@pallet/db';
import { type Actor, actorId, actorLabel } from '../auth/actor';

export interface AuditInput {
  orgId: string | null;
  actor: Actor;
  action: string;
  target: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
}

/** The AuditEvent columns every writer fills, in the order of auditEventValues. */
export const AUDIT_EVENT_COLUMNS = Prisma.sql`("orgId", "at", "actorType", "actorId", "actor", "action", "target", "targetId", "ip", "details")`;

/**
 * One row of AUDIT_EVENT_COLUMNS. `at` is the time of the insert in UTC, as Prisma writes it (the column
 * has no time zone; its DEFAULT would use the server's). Every value is typed, so the row may stand in a
 * VALUES list that a statement inserts only on a condition (upload-package.ts).
 */
export function auditEventValues(input: AuditInput): Prisma.Sql {
  return Prisma.sql`(${input.orgId}::text, clock_timestamp() AT TIME ZONE 'UTC', ${input.actor.kind}::text,
    ${actorId(input.actor) ?? null}::text, ${actorLabel(input.actor)}::text, ${input.action}::text,
    ${input.target}::text, ${input.targetId ?? null}::text, ${input.actor.ip ?? null}::text,
    ${JSON.stringify(input.details ?? {})}::jsonb)`;
}

/**
 * One plain INSERT without RETURNING: nothing reads the row back, and every upload writes one. Takes a
 * Prisma transaction or a plain one (rawTransaction).
 */
export async function recordAuditEvent(db: Tx | RawSql, input: AuditInput): Promise<void> {
  await queryRows(
    asRawSql(db),
    Prisma.sql`INSERT INTO "AuditEvent" ${AUDIT_EVENT_COLUMNS} VALUES ${auditEventValues(input)}`,
  );
}
