// A throwaway Pallet environment for integration and end-to-end tests: its own database, Redis key
// prefix, storage directory and master key, removed again afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase, migrateDatabase } from '@pallet/db/migrate';
import { Redis } from 'ioredis';

export interface TestInstance {
  env: Record<string, string>;
  dir: string;
  destroy(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..');

export async function createTestInstance(label: string): Promise<TestInstance> {
  const id = `${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `pallet-${label}-`));
  const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/pallet_test_${id}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl, join(ROOT, 'prisma', 'migrations'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `pallet-test-${id}`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PALLET_REDIS_PREFIX: prefix,
    PALLET_STORAGE: join(dir, 'storage'),
    PALLET_DATA_DIR: join(dir, 'data'),
    PALLET_MASTER_KEY: randomBytes(32).toString('hex'),
    PALLET_PUBLISH_DEBOUNCE_MS: '100',
    // Suites that count packages and publications run without the extra keyring package; the key life
    // cycle tests switch it on (the production default).
    PALLET_KEYRING_PACKAGES: 'off',
    LOG_LEVEL: 'warn',
  };
  return {
    env,
    dir,
    async destroy() {
      await dropDatabase(databaseUrl).catch(() => {});
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
