// Transactions on the plain pg path: they commit, roll back what a throwing callback did, answer
// "busy" (isDatabaseBusy) when no connection frees up in time, and end a transaction that runs too long.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getDb, isDatabaseBusy, rawSql, rawTransaction, TransactionClosed } from './index';
import { createRawPool } from './raw-sql';

const url = process.env.DATABASE_URL!;
const db = getDb(url);

beforeAll(async () => {
  await rawSql(db).query('CREATE TABLE "RawTxProbe" ("v" text NOT NULL)');
});

afterAll(async () => {
  await db.$disconnect();
});

async function probes(): Promise<string[]> {
  const rows = await rawSql(db).query<{ v: string }>('SELECT "v" FROM "RawTxProbe" ORDER BY "v"');
  return rows.map((r) => r.v);
}

it('commits what the callback wrote and returns its result, read on one connection', async () => {
  const result = await rawTransaction(db, async (tx) => {
    await tx.query('INSERT INTO "RawTxProbe" ("v") VALUES ($1)', ['committed']);
    // Same connection, same transaction: its own uncommitted row and one backend pid.
    const [a] = await tx.query<{ n: number; pid: number }>(
      `SELECT count(*)::int AS "n", pg_backend_pid() AS "pid" FROM "RawTxProbe" WHERE "v" = 'committed'`,
    );
    const [b] = await tx.query<{ pid: number; inTx: boolean }>(
      `SELECT pg_backend_pid() AS "pid", now() = statement_timestamp() AS "inTx"`,
    );
    return { n: a!.n, samePid: a!.pid === b!.pid, inTx: b!.inTx };
  });
  // now() is the transaction's start, statement_timestamp() the statement's: they differ inside one.
  expect(result).toEqual({ n: 1, samePid: true, inTx: false });
  expect(await probes()).toContain('committed');
});

it('rolls back and rethrows when the callback throws, and the connection serves again', async () => {
  class Refused extends Error {}
  const err = await rawTransaction(db, async (tx) => {
    await tx.query('INSERT INTO "RawTxProbe" ("v") VALUES ($1)', ['rolled-back']);
    throw new Refused('no');
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Refused);
  expect(await probes()).not.toContain('rolled-back');
  // A failed statement aborts the transaction; the rollback leaves the pooled connection usable.
  const syntax = await rawTransaction(db, (tx) => tx.query('SELEC 1')).catch((e: unknown) => e);
  expect(syntax).toBeInstanceOf(Error);
  expect(await rawTransaction(db, (tx) => tx.query<{ one: number }>('SELECT 1 AS "one"'))).toEqual([
    { one: 1 },
  ]);
});

it('answers busy when every connection stays taken past maxWait', async () => {
  const pool = createRawPool(url, 1, { maxWait: 50, timeout: 5_000 });
  try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = pool.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await held;
    });
    const waiting = await pool.transaction((tx) => tx.query('SELECT 1')).catch((e: unknown) => e);
    release();
    await holding;
    expect(isDatabaseBusy(waiting)).toBe(true);
    // A plain statement waits as long, and is answered the same way.
    const again = pool.transaction(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(isDatabaseBusy(await pool.query('SELECT 1').catch((e: unknown) => e))).toBe(true);
    await again;
  } finally {
    await pool.end();
  }
});

it('ends a transaction that runs past its timeout: rolled back, later statements refused', async () => {
  const pool = createRawPool(url, 1, { maxWait: 1_000, timeout: 300 });
  try {
    let late: unknown;
    const err = await pool
      .transaction(async (tx) => {
        await tx.query('INSERT INTO "RawTxProbe" ("v") VALUES ($1)', ['timed-out']);
        await tx.query('SELECT pg_sleep(2)').catch(() => {});
        late = await tx.query('SELECT 1').catch((e: unknown) => e);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionClosed);
    expect(late).toBeInstanceOf(TransactionClosed);
    expect(await probes()).not.toContain('timed-out');
    // The pool replaced the closed connection.
    expect(await pool.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS "one"'))).toEqual([
      { one: 1 },
    ]);
  } finally {
    await pool.end();
  }
});

it('joins a Prisma transaction it is handed instead of opening its own', async () => {
  const err = await db
    .$transaction(async (tx) => {
      await rawTransaction(tx, (inner) =>
        inner.query('INSERT INTO "RawTxProbe" ("v") VALUES ($1)', ['joined']),
      );
      throw new Error('undo');
    })
    .catch((e: unknown) => e);
  expect((err as Error).message).toBe('undo');
  expect(await probes()).not.toContain('joined');
});

it('keeps a statement asked to be prepared on its connection, under one name for one text', async () => {
  const pool = createRawPool(url, 1);
  try {
    const text = `SELECT $1::text AS "v", name FROM pg_prepared_statements WHERE statement = $2`;
    const first = await pool.query<{ v: string; name: string }>(text, ['a', text], { prepare: true });
    const again = await pool.query<{ v: string; name: string }>(text, ['b', text], { prepare: true });
    // Parsed before it runs: the first run already sees itself prepared.
    expect(first).toEqual([{ v: 'a', name: expect.stringMatching(/^pallet_/) }]);
    expect(again).toEqual([{ v: 'b', name: first[0]!.name }]);
    const inTx = await pool.transaction((tx) =>
      tx.query<{ v: string; name: string }>(text, ['c', text], { prepare: true }),
    );
    expect(inTx).toEqual([{ v: 'c', name: again[0]!.name }]);
  } finally {
    await pool.end();
  }
});
