// The app as `npm start` runs it (built PWA and API, one process) on a fresh Postgres database the
// test can also write to directly: for rows no page of the app creates by itself, such as what the
// notification sender records (an in-app notification, a captured or a failed message). Needs the
// Postgres `npm test` needs (127.0.0.1:5432, user postgres).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface PostgresServer {
  baseURL: string;
  appSecret: string;
  /** Runs SQL as the database owner (no row-level security): the test's own writes and checks. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** `env`: settings on top of the defaults below (local webhooks, a shorter batching window, …). */
export async function startPostgresServer(port: number, env: Record<string, string> = {}): Promise<PostgresServer> {
  const name = `ptp_e2e_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const appSecret = randomBytes(32).toString('base64url');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ptp-e2e-pg-'));
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      DATABASE_URL: url.toString(),
      APP_SECRET: appSecret,
      DATA_DIR: dataDir,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    },
  });
  const baseURL = `http://localhost:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let up = false;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${baseURL}/api/health`)).ok) {
        up = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const stop = async () => {
    await pool.end().catch(() => {});
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  if (!up) {
    await stop();
    throw new Error(`the app did not start on port ${port}`);
  }
  return { baseURL, appSecret, sql: async (text, values) => (await pool.query(text, values)).rows, stop };
}
