// scan jobs: match a freshly ingested package against the advisories, or import the configured OSV
// sources (PALLET_OSV_SOURCES, on a schedule) and re-evaluate the packages the changes concern.
import { type CoreContext, importAdvisories, rescanAfterAdvisoryChange, scanPackage } from '@pallet/core';
import { scanPayload } from '@pallet/jobs';
import type { Job } from 'bullmq';

export function scanProcessor(core: CoreContext) {
  return async (job: Job) => {
    const payload = scanPayload.parse(job.data);
    if (payload.kind === 'package') return scanPackage(core, payload.packageId);
    const results = [];
    for (const source of core.config.osvSources) {
      const imported = await importAdvisories(core, source);
      const rescan = await rescanAfterAdvisoryChange(core, imported);
      core.log.info(
        { source, imported: imported.imported, unchanged: imported.unchanged, ...rescan },
        'advisories imported',
      );
      results.push({ source, imported: imported.imported, ...rescan });
    }
    return results;
  };
}
