// The Prisma client (driver adapter for node-postgres) and the generated types, shared by web, worker and core.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export * from './generated/client';

export type Db = PrismaClient;
/** A Prisma interactive-transaction client, as core services receive it. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

const clients = new Map<string, PrismaClient>();

/** One client per database URL per process (Next.js dev reloads modules; the map lives on globalThis). */
export function getDb(databaseUrl: string): PrismaClient {
  const g = globalThis as unknown as { __palletDb?: Map<string, PrismaClient> };
  const map = g.__palletDb ?? clients;
  g.__palletDb = map;
  let client = map.get(databaseUrl);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
    map.set(databaseUrl, client);
  }
  return client;
}
export { listenForNotifications, type NotificationListener } from './listen-notifications';
