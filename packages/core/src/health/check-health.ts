// Health of the three dependencies: database, Redis (through the queue connection) and storage.
import type { CoreContext } from '../context/core-context';
import { checkEdgeCertificate, type EdgeCertificate } from './check-edge-certificate';

export interface Health {
  status: 'ok' | 'degraded';
  database: string;
  redis: string;
  storage: string;
  /** the shipped edge's TLS certificate, where one runs beside this instance (never makes it degraded) */
  certificate?: EdgeCertificate;
}

async function probe(fn: () => Promise<unknown>, timeoutMs = 3000): Promise<string> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => setTimeout(() => rej(new Error('timed out')), timeoutMs)),
    ]);
    return 'ok';
  } catch (err) {
    return `error: ${(err as Error).message.split('\n')[0]?.slice(0, 200)}`;
  }
}

export async function checkHealth(ctx: CoreContext): Promise<Health> {
  const [database, redis, storage, certificate] = await Promise.all([
    probe(() => ctx.db.$queryRaw`SELECT 1`),
    probe(() => ctx.queues.queues.publish.getJobCounts('waiting')),
    probe(() => ctx.storage.check()),
    checkEdgeCertificate(ctx).catch(() => null),
  ]);
  const ok = database === 'ok' && redis === 'ok' && storage === 'ok';
  return {
    status: ok ? 'ok' : 'degraded',
    database,
    redis,
    storage,
    ...(certificate ? { certificate } : {}),
  };
}
