// Prisma CLI configuration: schema and migrations location; the URL comes from DATABASE_URL
// (scripts/setup.mjs exports the default for one machine).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pallet' },
});
