// Appends one AuditEvent; called by core services inside the transaction of the change it records.
import type { Prisma, Tx } from '@pallet/db';
import { type Actor, actorId, actorLabel } from '../auth/actor';

export interface AuditInput {
  orgId: string | null;
  actor: Actor;
  action: string;
  target: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
}

/**
 * One plain INSERT without RETURNING: nothing reads the row back, and every upload writes one, so it
 * skips the model API's query planning. `at` is the time of the insert in UTC, as Prisma writes it (the column
 * has no time zone; its DEFAULT would use the server's).
 */
export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("orgId", "at", "actorType", "actorId", "actor", "action", "target", "targetId", "ip", "details")
    VALUES (${input.orgId}, clock_timestamp() AT TIME ZONE 'UTC', ${input.actor.kind}, ${actorId(input.actor) ?? null},
            ${actorLabel(input.actor)}, ${input.action}, ${input.target}, ${input.targetId ?? null},
            ${input.actor.ip ?? null}, ${JSON.stringify(input.details ?? {})}::jsonb)`;
}
