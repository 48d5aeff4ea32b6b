// What a rejected or abandoned upload must not leave: stored objects under uploads/ that no Blob row
// owns. Listed through the instance's storage (filesystem or S3), so the check holds on either backend.
import pg from 'pg';
import type { RunningPallet } from './server';

export async function strayUploads(pallet: RunningPallet): Promise<string[]> {
  const client = new pg.Client({ connectionString: pallet.instance.env.DATABASE_URL });
  await client.connect();
  try {
    const rows = await client.query<{ storageKey: string }>('SELECT "storageKey" FROM "Blob"');
    const owned = new Set(rows.rows.map((r) => r.storageKey));
    return (await pallet.storage.list('uploads/')).filter((key) => !owned.has(key));
  } finally {
    await client.end();
  }
}
