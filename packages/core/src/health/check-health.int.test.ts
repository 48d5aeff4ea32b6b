// Health reports each dependency and degrades (503 at the HTTP layer) when one is down.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@pallet/config';
import { afterAll, describe, expect, it } from 'vitest';
import { createCoreContext } from '../context/core-context';
import { checkHealth } from './check-health';

const work = mkdtempSync(join(tmpdir(), 'pallet-health-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('checkHealth', () => {
  it('reports ok for the real database, Redis and storage', async () => {
    const ctx = createCoreContext(loadConfig({ ...process.env, PALLET_STORAGE: join(work, 'storage') }));
    try {
      expect(await checkHealth(ctx)).toEqual({ status: 'ok', database: 'ok', redis: 'ok', storage: 'ok' });
    } finally {
      await ctx.queues.close();
    }
  });

  it('reports the failing dependency when Redis is unreachable and storage unusable', async () => {
    const blocker = join(work, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const ctx = createCoreContext(
      loadConfig({
        ...process.env,
        REDIS_URL: 'redis://127.0.0.1:1',
        PALLET_STORAGE: join(blocker, 'storage'),
      }),
    );
    try {
      const health = await checkHealth(ctx);
      expect(health.status).toBe('degraded');
      expect(health.database).toBe('ok');
      expect(health.redis).not.toBe('ok');
      expect(health.storage).not.toBe('ok');
    } finally {
      await ctx.queues.close().catch(() => {});
    }
  });
});
