import { defineConfig } from 'prisma/config';

// The Prisma CLI reads this file. `npm run db:migrate` applies the same migrations without network
// through the WebAssembly schema engine (sync-server/src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
