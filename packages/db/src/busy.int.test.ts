// A request that finds every pooled connection busy is told to retry, not given a 500: the real
// Prisma error for a transaction that cannot start in time, and the real pg pool's connect timeout.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { PrismaClient } from './generated/client';
import { isDatabaseBusy } from './index';

const url = process.env.DATABASE_URL!;
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 50 });

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
});

it('recognises a transaction that could not get a connection in time', async () => {
  const holding = prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe('SELECT 1 FROM pg_sleep(0.5)');
  });
  const waiting = prisma.$transaction(async (tx) => tx.$queryRawUnsafe('SELECT 1'), { maxWait: 50 });
  const err = await waiting.then(
    () => null,
    (e: unknown) => e,
  );
  await holding;
  expect(isDatabaseBusy(err)).toBe(true);
});

it('recognises a pg pool connect timeout, and nothing else', async () => {
  const held = await pool.connect();
  const err = await pool.query('SELECT 1').then(
    () => null,
    (e: unknown) => e,
  );
  held.release();
  expect(isDatabaseBusy(err)).toBe(true);
  const syntax = await pool.query('SELEC 1').then(
    () => null,
    (e: unknown) => e,
  );
  expect(syntax).toBeInstanceOf(Error);
  expect(isDatabaseBusy(syntax)).toBe(false);
  expect(isDatabaseBusy(new Error('Unable to start a transaction in the given time'))).toBe(false);
  expect(isDatabaseBusy(undefined)).toBe(false);
});
