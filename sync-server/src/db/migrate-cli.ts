// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
// under DATA_DIR when DATABASE_URL is unset. No network needed.
import path from 'node:path';
import { loadEnv } from '../env.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './schema-engine.ts';

const env = loadEnv();
const embedded = env.DATABASE_URL ? undefined : await startEmbeddedDatabase(path.join(env.DATA_DIR, 'pglite'));
try {
  const applied = await applyMigrations(env.DATABASE_URL ?? embedded!.url);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
} finally {
  await embedded?.close();
}
