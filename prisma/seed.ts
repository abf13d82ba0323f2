// `npm run db:seed` (and Prisma's seed hook): seeds the demo organization into the configured database.
import { buildDeps } from '../sync-server/src/deps.ts';
import { loadEnv } from '../sync-server/src/env.ts';
import { seedDemo } from './seed-demo.ts';

const env = loadEnv();
if (env.NODE_ENV === 'production') {
  console.error('The demo organization has a published password; it is never seeded in production.');
  process.exit(1);
}
const deps = await buildDeps(env);
try {
  const demo = await seedDemo(deps);
  console.log(demo ? `Demo sign-in: ${demo.email} / ${demo.password}` : 'The database already has users; nothing seeded.');
} finally {
  await deps.db.close();
}
