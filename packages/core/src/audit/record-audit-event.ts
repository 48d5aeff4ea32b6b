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

export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      orgId: input.orgId,
      actorType: input.actor.kind,
      actorId: actorId(input.actor) ?? null,
      actor: actorLabel(input.actor),
      action: input.action,
      target: input.target,
      targetId: input.targetId ?? null,
      ip: input.actor.ip ?? null,
      details: input.details ?? {},
    },
  });
}
