// Operator command: `npm run advisories -- import <zip|directory|url> [...]` loads OSV records into
// PostgreSQL (only records whose `modified` moved on) and re-evaluates the packages they concern.
import { loadConfig } from '@pallet/config';
import { createCoreContext, importAdvisories, rescanAfterAdvisoryChange } from '@pallet/core';

const USAGE = 'usage: npm run advisories -- import <zip|directory|url> [<zip|directory|url> ...]';

async function main(args: string[]): Promise<number> {
  const [command, ...sources] = args;
  if (command !== 'import' || sources.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const core = createCoreContext(loadConfig(), {});
  try {
    for (const source of sources) {
      const imported = await importAdvisories(core, source);
      const rescan = await rescanAfterAdvisoryChange(core, imported);
      console.log(
        `${source}: ${imported.read} records read, ${imported.imported} imported, ${imported.unchanged} unchanged, ` +
          `${imported.skipped} for other ecosystems, ${imported.invalid} invalid; ` +
          `${rescan.scanned} packages re-evaluated, ${rescan.flagged} newly flagged`,
      );
    }
    return 0;
  } catch (err) {
    console.error(`advisories import failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await Promise.allSettled([core.queues.close(), core.db.$disconnect()]);
  }
}

process.exitCode = await main(process.argv.slice(2));
