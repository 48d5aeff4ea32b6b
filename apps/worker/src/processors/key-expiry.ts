// key-expiry jobs (repeating, PALLET_KEY_CHECK_INTERVAL): warn 30, 7 and 1 days before a signing key expires.
import { type CoreContext, warnExpiringKeys } from '@pallet/core';

export function keyExpiryProcessor(core: CoreContext) {
  return async () => warnExpiringKeys(core);
}
