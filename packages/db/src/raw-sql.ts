// A plain node-postgres path for the hottest statements of a request (the token check and the
// authorization reads every API request makes). A Prisma `$queryRaw` costs several times the CPU of the
// same statement on `pg` (its query interpreter, argument and result mapping), so these statements go to
// a small pg Pool on the same database URL. Results have the types Prisma's raw queries give them:
// `timestamp` (Prisma's DateTime) is a Date read as UTC, `int8` a BigInt, enums and text strings, json
// parsed. `numeric` stays a string (Prisma would give a Decimal): don't read it here.
import pg from 'pg';

export interface RawSql {
  /** The rows of one statement with `$1`, `$2`… placeholders (values are always parameters). */
  query<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
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
  end(): Promise<void>;
}

export function createRawPool(databaseUrl: string, max = 4): RawPool {
  let pool: pg.Pool | null = null;
  const open = () => {
    if (!pool) {
      // allowExitOnIdle: an idle pool never keeps a script alive; errors of idle clients drop them.
      pool = new pg.Pool({ connectionString: databaseUrl, max, types, allowExitOnIdle: true });
      pool.on('error', () => {});
    }
    return pool;
  };
  return {
    async query<T>(text: string, values: readonly unknown[] = []): Promise<T[]> {
      const result = await open().query(text, values as unknown[]);
      return result.rows as T[];
    },
    async end() {
      const p = pool;
      pool = null; // the next query opens a new pool (as Prisma reconnects after $disconnect)
      await p?.end();
    },
  };
}
