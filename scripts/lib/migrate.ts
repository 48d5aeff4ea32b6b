// Creates the database named by DATABASE_URL if needed and applies pending migrations.
import { join } from 'node:path';
import { ensureDatabase, migrateDatabase } from '@pallet/db/migrate';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pallet';
await ensureDatabase(url);
const applied = await migrateDatabase(url, join(import.meta.dirname, '..', '..', 'prisma', 'migrations'));
if (applied.length) console.log(`[setup] applied migrations: ${applied.join(', ')}`);
