// `npm run setup`: dependencies, PostgreSQL/Redis when none is reachable, generated client, migrations.
import { setup } from './lib/setup.mjs';

await setup('start');
