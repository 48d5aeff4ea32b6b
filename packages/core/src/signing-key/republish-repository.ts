// Every distribution of a repository published anew (new Date, new signatures) after its keys changed:
// generations are bumped inside the key change's transaction, the publish jobs are queued after commit
// (should queueing fail, the worker re-queues unpublished generations when it starts).
import type { Tx } from '@pallet/db';
import type { CoreContext } from '../context/core-context';
import { requestPublication } from '../publication/request-publication';

export interface PendingRepublication {
  id: string;
  generation: number;
}

export async function bumpRepositoryGenerations(
  tx: Tx,
  repositoryId: string,
): Promise<PendingRepublication[]> {
  return tx.$queryRaw<PendingRepublication[]>`
    UPDATE "Distribution" SET "generation" = "generation" + 1
     WHERE "repositoryId" = ${repositoryId}
    RETURNING "id", "generation"`;
}

export async function requestRepublication(ctx: CoreContext, pending: PendingRepublication[]): Promise<void> {
  for (const d of pending) await requestPublication(ctx, d.id, d.generation);
}
