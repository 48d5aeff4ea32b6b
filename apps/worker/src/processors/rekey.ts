// rekey jobs: after a key rotation, retirement or revocation, re-sign the repository's rpms (not during a
// rotation's transition), refresh its keyring packages and republish every distribution.
import { type CoreContext, rekeyRepository } from '@pallet/core';
import { rekeyPayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function rekeyProcessor(core: CoreContext) {
  return async (job: Job) => {
    const payload = rekeyPayload.parse(job.data);
    return rekeyRepository(core, payload);
  };
}
