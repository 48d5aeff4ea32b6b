// The Prisma client (driver adapter for node-postgres) and the generated types, shared by web, worker and core.
import { PrismaPg } from '@prisma/adapter-pg';
import { TRANSACTION_OPTIONS } from './busy';
import { PrismaClient } from './generated/client';
import { createRawPool, type QueryOptions, type RawPool, type RawSql } from './raw-sql';

export * from './generated/client';

export type Db = PrismaClient;
/** A Prisma interactive-transaction client, as core services receive it. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const clients = new Map<string, PrismaClient>();

/**
 * One client per database URL per process (Next.js dev reloads modules; the map lives on globalThis). The
 * Prisma client itself is built at its first use (lazyClient): building it decodes the schema's query
 * graph, 6-8 MiB of heap, and the web front answers uploads on the plain pg path (raw-sql.ts) alone.
 */
export function getDb(databaseUrl: string): PrismaClient {
  const g = globalThis as unknown as { __palletDb?: Map<string, PrismaClient> };
  const map = g.__palletDb ?? clients;
  g.__palletDb = map;
  let client = map.get(databaseUrl);
  if (!client) {
    // As many connections as Prisma's pool: upload registrations run their transactions here.
    const raw = createRawPool(databaseUrl, 10);
    client = lazyClient(
      () =>
        new PrismaClient({
          adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
          transactionOptions: TRANSACTION_OPTIONS,
        }),
      raw,
    );
    rawPools.set(client, raw);
    map.set(databaseUrl, client);
  }
  return client;
}

/**
 * Stands for the client `build` makes, making it at the first property read. Its `$disconnect` also
 * closes the raw pool (callers only know `$disconnect`), and does not build a client never used.
 */
function lazyClient(build: () => PrismaClient, raw: RawPool): PrismaClient {
  let real: PrismaClient | undefined;
  const disconnect = async () => {
    await Promise.allSettled([raw.end()]);
    await real?.$disconnect();
  };
  // The target answers `in` for the client's methods (asRawSql asks) without building it.
  return new Proxy(Object.create(PrismaClient.prototype) as PrismaClient, {
    get(_target, key) {
      if (key === '$disconnect') return disconnect;
      real ??= build();
      const value: unknown = Reflect.get(real, key);
      // Methods run on the client itself: its private fields are not the stand-in's.
      return typeof value === 'function' ? value.bind(real) : value;
    },
    has(target, key) {
      return real ? key in real : key in target;
    },
  });
}

// Beside the client map on globalThis (Next.js dev reloads modules), so a kept client keeps its pool.
const poolsHolder = globalThis as { __palletRawPools?: WeakMap<object, RawPool> };
poolsHolder.__palletRawPools ??= new WeakMap();
const rawPools = poolsHolder.__palletRawPools;

/**
 * The plain-pg path of a client made by getDb (see raw-sql.ts); for any other client or a transaction
 * client, the same statement through Prisma's `$queryRawUnsafe` (so it joins the transaction).
 */
export function rawSql(db: Db | Tx): RawSql {
  const pool = rawPools.get(db);
  if (pool) return pool;
  return {
    query: <T>(text: string, values: readonly unknown[] = []) => db.$queryRawUnsafe<T[]>(text, ...values),
  };
}

/**
 * Runs `fn` in a transaction on the plain pg path: for a client made by getDb, its pool's transaction
 * (see raw-sql.ts); for any other client, a Prisma interactive transaction; for a transaction client,
 * that transaction itself (`fn` joins it, and its caller commits or rolls back).
 */
export function rawTransaction<T>(db: Db | Tx, fn: (tx: RawSql) => Promise<T>): Promise<T> {
  const pool = rawPools.get(db);
  if (pool) return pool.transaction(fn);
  if (isClient(db)) return db.$transaction((tx) => fn(rawSql(tx)), TRANSACTION_OPTIONS);
  return fn(rawSql(db));
}

function isClient(db: Db | Tx): db is Db {
  return typeof (db as Partial<Db>).$transaction === 'function';
}

/**
 * The plain-pg statements of `db`: a RawSql (such as a rawTransaction's) as it is, otherwise rawSql(db).
 * Core helpers take `Tx | RawSql` through this, so a Prisma transaction and a plain one both call them.
 */
export function asRawSql(db: Db | Tx | RawSql): RawSql {
  return '$queryRawUnsafe' in db ? rawSql(db) : db;
}

/** A statement composed with `Prisma.sql` (placeholders and values kept apart) on the plain pg path. */
export function queryRows<T>(
  sql: RawSql,
  statement: { text: string; values: unknown[] },
  opts?: QueryOptions,
): Promise<T[]> {
  return sql.query<T>(statement.text, statement.values, opts);
}
export { isDatabaseBusy, TRANSACTION_OPTIONS } from './busy';
export { listenForNotifications, type NotificationListener } from './listen-notifications';
export { type QueryOptions, type RawSql, TransactionClosed } from './raw-sql';
