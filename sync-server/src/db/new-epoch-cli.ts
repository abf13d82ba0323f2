// `npm run db:new-epoch`: run once after restoring a backup. Devices whose sync cookies come from
// the timeline before the restore then clear their copy and take a full snapshot, instead of
// trusting versions the restored database may reuse ("servers don't go back in time").
import path from 'node:path';
import pg from 'pg';
import { loadEnv } from '../env.ts';
import { startEmbeddedDatabase } from './embedded.ts';

const env = loadEnv();
const embedded = env.DATABASE_URL ? undefined : await startEmbeddedDatabase(path.join(env.DATA_DIR, 'pglite'));
const client = new pg.Client({ connectionString: env.DATABASE_URL ?? embedded!.url });
await client.connect();
try {
  const { rows } = await client.query<{ epoch: string }>('UPDATE database_meta SET epoch = gen_random_uuid() WHERE id = 1 RETURNING epoch');
  console.log(`New database epoch ${rows[0]?.epoch}; devices will resync in full.`);
} finally {
  await client.end();
  await embedded?.close();
}
