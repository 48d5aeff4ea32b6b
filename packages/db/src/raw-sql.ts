// A plain node-postgres path for the hottest statements of a request (the token check and the
// authorization reads every API request makes). A Prisma `$queryRaw` costs several times the CPU of the
// same statement on `pg` (its query interpreter, argument and result mapping), so these statements go to
// a small pg Pool on the same database URL. Results have the types Prisma's raw queries give them:
// `timestamp` (Prisma's DateTime) is a Date read as UTC, `int8` a BigInt, enums and text strings, json
// parsed. `numeric` stays a string (Prisma would give a Decimal): don't read it here.
// Transactions on this pool (`transaction`) keep Prisma's interactive-transaction limits (busy.ts).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { TRANSACTION_OPTIONS } from './busy';

export interface QueryOptions {
  /**
   * Keep the statement prepared on each pooled connection (a named statement): later runs skip its
   * parsing and, once PostgreSQL settles on a generic plan, its planning (about 0.2 ms of the server's
   * CPU for a four-table read, more for a statement of several CTEs). Only for statements whose text is
   * one of a few fixed strings: every distinct text stays prepared for the connection's life.
   */
  prepare?: boolean;
}

export interface RawSql {
  /** The rows of one statement with `$1`, `$2`… placeholders (values are always parameters). */
  query<T>(text: string, values?: readonly unknown[], opts?: QueryOptions): Promise<T[]>;
}

const statementNames = new Map<string, string>();

/** node-postgres' query config: a name derived from the text when it is to stay prepared. */
function queryConfig(text: string, values: readonly unknown[], opts?: QueryOptions): pg.QueryConfig {
  if (!opts?.prepare) return { text, values: values as unknown[] };
  let name = statementNames.get(text);
  if (!name) {
    name = `pallet_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

const TIMESTAMP = 1114;
const INT8 = 20;

/** Prisma's DateTime columns are `timestamp(3)` without a zone, meaning UTC (pg would read local time). */
function parseTimestamp(text: string): Date | string {
  const d = new Date(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? text : d;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP) return parseTimestamp;
    if (oid === INT8) return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface RawPool extends RawSql {
  /**
   * Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
   * throws (its error is rethrown). Like Prisma's `$transaction` with TRANSACTION_OPTIONS: a connection
   * not free within `maxWait` is the pool's connect timeout (isDatabaseBusy, a 503), and a transaction
   * still running after `timeout` is ended (its connection closed, so the server rolls it back).
   */
  transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** What a statement of a transaction that was ended (committed, rolled back or timed out) throws. */
export class TransactionClosed extends Error {
  constructor(reason: 'closed' | 'timed out') {
    super(
      reason === 'timed out'
        ? `The transaction ran longer than ${TRANSACTION_OPTIONS.timeout} ms and was rolled back.`
        : 'The transaction is already closed.',
    );
    this.name = 'TransactionClosed';
  }
}

export function createRawPool(
  databaseUrl: string,
  max = 4,
  limits: { maxWait: number; timeout: number } = TRANSACTION_OPTIONS,
): RawPool {
  let pool: pg.Pool | null = null;
  const open = () => {
    if (!pool) {
      // allowExitOnIdle: an idle pool never keeps a script alive; errors of idle clients drop them.
      // connectionTimeoutMillis: every pool user waits for a connection as long as a transaction does.
      pool = new pg.Pool({
        connectionString: databaseUrl,
        max,
        types,
        allowExitOnIdle: true,
        connectionTimeoutMillis: limits.maxWait,
      });
      pool.on('error', () => {});
    }
    return pool;
  };
  return {
    async query<T>(text: string, values: readonly unknown[] = [], opts?: QueryOptions): Promise<T[]> {
      const result = await open().query(queryConfig(text, values, opts));
      return result.rows as T[];
    },
    async transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T> {
      const client = await open().connect();
      // A holder, not a variable: the timer changes it while `fn` runs.
      const status: { state: 'open' | 'closed' | 'timed out' } = { state: 'open' };
      const tx: RawSql = {
        async query<R>(text: string, values: readonly unknown[] = [], opts?: QueryOptions): Promise<R[]> {
          if (status.state !== 'open') throw new TransactionClosed(status.state);
          const result = await client.query(queryConfig(text, values, opts));
          return result.rows as R[];
        },
      };
      // Ending the connection aborts a statement in flight; the server rolls the transaction back.
      const timer = setTimeout(() => {
        status.state = 'timed out';
        client.release(new TransactionClosed('timed out'));
      }, limits.timeout);
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        if (status.state !== 'open') throw new TransactionClosed(status.state);
        status.state = 'closed';
        await client.query('COMMIT');
        clearTimeout(timer);
        client.release();
        return result;
      } catch (err) {
        if (status.state === 'timed out') throw new TransactionClosed('timed out');
        clearTimeout(timer);
        status.state = 'closed';
        // A connection that cannot even roll back is dropped rather than returned to the pool.
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackErr: unknown) => client.release(rollbackErr as Error),
        );
        throw err;
      }
    },
    async end() {
      const p = pool;
      pool = null; // the next query opens a new pool (as Prisma reconnects after $disconnect)
      await p?.end();
    },
  };
}
