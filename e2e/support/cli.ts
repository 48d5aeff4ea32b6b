// The `pallet` CI client as e2e runs it: the bundle the web build makes (apps/cli/dist/pallet.js,
// the file the published package ships) under plain node. Through tsx each start cost ~1.5 s of CPU
// transpiling the sources; the bundle starts in a fraction of that.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BUNDLE = join(ROOT, 'apps/cli/dist/pallet.js');

/** Command and leading arguments that run the CLI: spawn(command, [...args, ...cliArgs]). */
export function cliCommand(): { command: string; args: string[] } {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: npx turbo run build --filter=@pallet/web builds it`);
  }
  return { command: process.execPath, args: [BUNDLE] };
}
