// One runner at a time for scheduled work, however many server processes share the database: a
// Postgres advisory lock held by a dedicated connection for as long as the job runs. It is released
// when the job ends, or by Postgres itself when a crashed process's connection goes.
import { createHash } from 'node:crypto';
import type { Database } from './index.ts';

/** The advisory-lock key of a job name (a stable 64-bit number). */
const lockKey = (name: string) => createHash('sha256').update(`ptp-job:${name}`).digest().readBigInt64BE(0).toString();

/** Runs `fn` if no other process is running the job `name`; answers whether it ran. */
export async function runExclusive(db: Database, name: string, fn: () => Promise<void>): Promise<boolean> {
  // The embedded database belongs to one process (and has one connection, which the job needs).
  if (db.embedded) {
    await fn();
    return true;
  }
  const conn = await db.pool.connect();
  try {
    const { rows } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(name)]);
    if (!rows[0]?.ok) return false;
    try {
      // The lock's connection goes back to the pool only after the unlock; the job uses others.
      await fn();
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(name)]);
    }
    return true;
  } finally {
    conn.release();
  }
}
