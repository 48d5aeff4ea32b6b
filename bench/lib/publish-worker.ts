// A stand-in for the worker process: runs ingestPackage / publishDistribution on request (IPC), so
// their time and peak RSS are measured in a process that did nothing else, as in production, and not
// in the bench process that generated and inserted thousands of packages.
import { fork } from 'node:child_process';
import { loadConfig } from '@pallet/config';
import { type CoreContext, createCoreContext, ingestPackage, publishDistribution } from '@pallet/core';
import { type Measured, measure } from './measure';

type Op = 'ingest' | 'publish';
interface Request {
  seq: number;
  op: Op;
  id: string;
}
type Reply = { seq: number; error?: string } & Partial<Measured<unknown>>;

export interface PublishWorker {
  ingest(packageId: string): Promise<Measured<unknown>>;
  publish(distributionId: string): Promise<Measured<{ packageCount?: number }>>;
  close(): Promise<void>;
}

export function startPublishWorker(env: Record<string, string>): PublishWorker {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, ...env, BENCH_PUBLISH_WORKER: '1' },
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, (reply: Reply) => void>();
  child.on('message', (reply: Reply) => pending.get(reply.seq)?.(reply));
  const call = <T>(op: Op, id: string) =>
    new Promise<Measured<T>>((resolve, reject) => {
      const request: Request = { seq: ++seq, op, id };
      pending.set(request.seq, (reply) => {
        pending.delete(request.seq);
        if (reply.error) reject(new Error(`worker ${op} failed: ${reply.error}`));
        else resolve(reply as unknown as Measured<T>);
      });
      child.send(request);
    });
  return {
    ingest: (id) => call<unknown>('ingest', id),
    publish: (id) => call<{ packageCount?: number }>('publish', id),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

async function waitForPublicationTurn(ctx: CoreContext, distributionId: string): Promise<void> {
  const dist = await ctx.db.distribution.findUnique({
    where: { id: distributionId },
    include: { currentPublication: { select: { publishedAt: true } } },
  });
  const date = dist?.currentPublication?.publishedAt?.getTime();
  if (date !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, date + 1000 - Date.now())));
}

async function serve(): Promise<void> {
  const ctx = createCoreContext(loadConfig(process.env));
  process.on('message', async ({ seq, op, id }: Request) => {
    try {
      // A distribution publishes at most once a second: wait for its turn outside the measurement,
      // as the worker's job would sit in the delayed set.
      if (op === 'publish') await waitForPublicationTurn(ctx, id);
      const m = await measure<unknown>(() =>
        op === 'ingest' ? ingestPackage(ctx, id) : publishDistribution(ctx, id),
      );
      process.send?.({ seq, ...m } satisfies Reply);
    } catch (err) {
      process.send?.({ seq, error: (err as Error).stack ?? String(err) } satisfies Reply);
    }
  });
  process.once('disconnect', async () => {
    await ctx.queues.close();
    await ctx.db.$disconnect();
    process.exit(0);
  });
}

if (process.env.BENCH_PUBLISH_WORKER === '1') await serve();
