// The plain pg path gives the types Prisma's raw queries give, joins a transaction it is handed, and
// comes back after the client's $disconnect.
import { afterAll, expect, it } from 'vitest';
import { getDb, rawSql } from './index';

const db = getDb(process.env.DATABASE_URL!);

afterAll(async () => {
  await db.$disconnect();
});

const SAMPLE = `SELECT TIMESTAMP '2026-01-02 03:04:05.678' AS "at", 9007199254740993::int8 AS "big",
  ARRAY['a','b']::text[] AS "list", '{"k":[1]}'::jsonb AS "doc", $1::text AS "param", NULL::text AS "none"`;

it('reads rows with the types Prisma gives them: timestamps as UTC Dates, int8 as BigInt', async () => {
  const [viaPg] = await rawSql(db).query<Record<string, unknown>>(SAMPLE, ['x']);
  const [viaPrisma] = await db.$queryRawUnsafe<Record<string, unknown>[]>(SAMPLE, 'x');
  expect(viaPg).toEqual({
    at: new Date('2026-01-02T03:04:05.678Z'),
    big: 9007199254740993n,
    list: ['a', 'b'],
    doc: { k: [1] },
    param: 'x',
    none: null,
  });
  expect(viaPg).toEqual(viaPrisma);
});

it('runs inside a transaction it is handed, and reopens after $disconnect', async () => {
  const inTx = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT set_config('pallet.rawsql_test', 'in-tx', true)`);
    return rawSql(tx).query<{ v: string }>(`SELECT current_setting('pallet.rawsql_test', true) AS "v"`);
  });
  expect(inTx).toEqual([{ v: 'in-tx' }]);
  await db.$disconnect();
  expect(await rawSql(db).query<{ one: number }>('SELECT 1 AS "one"')).toEqual([{ one: 1 }]);
});
