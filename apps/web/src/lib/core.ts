// The web process's CoreContext, created once (Next.js may evaluate modules more than once in dev).
import { loadConfig } from '@pallet/config';
import { type CoreContext, createCoreContext } from '@pallet/core';

const holder = globalThis as unknown as { __palletCore?: CoreContext };

export function getCore(): CoreContext {
  holder.__palletCore ??= createCoreContext(loadConfig());
  return holder.__palletCore;
}
