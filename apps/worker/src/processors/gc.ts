// gc jobs (scheduled every PALLET_GC_INTERVAL_MINUTES): remove what nothing references any more.
import { type CoreContext, collectGarbage } from '@pallet/core';

export function gcProcessor(core: CoreContext) {
  return async () => {
    const report = await collectGarbage(core);
    const totals = Object.fromEntries(Object.entries(report.totals).map(([k, t]) => [k, t.count]));
    return { publications: report.publications, ...totals, failures: report.failures.length };
  };
}
