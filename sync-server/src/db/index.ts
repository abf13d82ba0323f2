// The database: Postgres at DATABASE_URL, or the embedded PGlite under DATA_DIR. Migrations run as
// the connecting login; every app query runs as the role ptp_app, which row-level security binds.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './schema-engine.ts';

export type Tx = Prisma.TransactionClient;

export interface Database {
  /** Account-level tables (users, sessions, organizations, facilities, memberships, invitations). */
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Runs `fn` in one transaction whose facility-owned rows are those of `facilityId` only. */
  withFacility<T>(facilityId: string, fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T>;
  /** Runs `fn` in one transaction with no facility scope (facility-owned tables show nothing). */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T>;
  /**
   * SQL for the job queue (pg-boss), as the database owner: its tables live outside the app's
   * row-level security. Postgres: a small pool of its own; PGlite (one session): the app's single
   * connection, taken for the statement with the owner's role and handed back as ptp_app.
   */
  jobsSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  embedded: boolean;
  close(): Promise<void>;
}

export interface TxOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeoutMs?: number;
}

export const APP_ROLE = 'ptp_app';

/**
 * A connection that becomes ptp_app before the pool hands it out, so no app query ever runs as the
 * owner (owners and superusers bypass row-level security).
 */
class AppRoleClient extends pg.Client {
  // pg-pool calls connect(callback); other callers use the promise.
  override connect(): Promise<pg.Client>;
  override connect(callback: (err: Error | null, c?: pg.Client) => void): void;
  override connect(callback?: (err: Error | null, c?: pg.Client) => void): Promise<pg.Client> | void {
    const ready = super
      .connect()
      .then(() => this.query(`SET ROLE ${APP_ROLE}`))
      .then(() => this as pg.Client);
    if (!callback) return ready;
    ready.then(
      (c) => callback(null, c),
      (e: Error) => callback(e),
    );
  }
}

export async function openDatabase(opts: {
  url?: string;
  dataDir?: string | null;
  poolSize?: number;
  migrate?: boolean;
}): Promise<Database> {
  const embedded = opts.url ? undefined : await startEmbeddedDatabase(opts.dataDir ? path.join(opts.dataDir, 'pglite') : undefined);
  const url = opts.url ?? embedded!.url;
  if (opts.migrate !== false) await applyMigrations(url);

  // PGlite is a single session shared by its connections: one connection keeps transactions apart.
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? 1 : (opts.poolSize ?? 10),
    Client: AppRoleClient as unknown as typeof pg.Client,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let jobsPool: pg.Pool | null = null;
  const jobsSql = async (text: string, values?: unknown[]) => {
    if (!embedded) {
      jobsPool ??= new pg.Pool({ connectionString: url, max: 5 });
      return jobsPool.query(text, values);
    }
    const conn = await pool.connect();
    try {
      await conn.query('RESET ROLE');
      return await conn.query(text, values);
    } finally {
      await conn.query(`SET ROLE ${APP_ROLE}`).then(
        () => conn.release(),
        (e: Error) => conn.release(e),
      );
    }
  };

  const run = <T>(facilityId: string | null, fn: (tx: Tx) => Promise<T>, o: TxOptions = {}) =>
    prisma.$transaction(
      async (tx) => {
        if (facilityId) await tx.$queryRaw`SELECT set_config('app.facility_id', ${facilityId}, true)`;
        return fn(tx);
      },
      { isolationLevel: o.isolationLevel, timeout: o.timeoutMs ?? 30_000, maxWait: 30_000 },
    );

  return {
    prisma,
    pool,
    jobsSql,
    embedded: Boolean(embedded),
    withFacility: (facilityId, fn, o) => run(facilityId, fn, o),
    transaction: (fn, o) => run(null, fn, o),
    async close() {
      await prisma.$disconnect();
      await jobsPool?.end().catch(() => {});
      await pool.end().catch(() => {});
      await embedded?.close();
    },
  };
}
