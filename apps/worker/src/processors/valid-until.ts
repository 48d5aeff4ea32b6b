// validUntil jobs (repeating, PALLET_KEY_CHECK_INTERVAL): re-sign distributions before their Valid-Until lapses.
import { type CoreContext, refreshValidUntil } from '@pallet/core';

export function validUntilProcessor(core: CoreContext) {
  return async () => refreshValidUntil(core);
}
