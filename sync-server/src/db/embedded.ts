// The embedded database: PGlite (Postgres compiled to WebAssembly) kept under the data directory,
// served over the Postgres wire protocol so Prisma's pg adapter and the migration engine talk to it
// exactly as they talk to a real Postgres. PGlite has no authentication and its one user is a
// superuser, so it listens on no TCP port at all: only on a Unix socket inside a fresh directory
// that only this user may enter (mode 0700), removed when the database closes.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  /** The directory holding the socket (for tests of its permissions). */
  socketDir: string;
  close(): Promise<void>;
}

/** libpq's socket name for a port: pg connects to `<host dir>/.s.PGSQL.<port>`. */
const SOCKET_PORT = 5432;

export async function startEmbeddedDatabase(dataDir: string | undefined): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // pg_trgm backs the packages table's search (trigram indexes); its migration creates the extension.
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
  const socketDir = await mkdtemp(path.join(os.tmpdir(), 'ptp-pglite-'));
  await chmod(socketDir, 0o700);
  // PGlite is one session: connections share it, so the app keeps a single connection to it
  // (see the pool size in db/index.ts) and transactions never interleave.
  const server = new PGLiteSocketServer({ db, path: path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), maxConnections: 4 });
  await server.start();
  return {
    url: `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`,
    socketDir,
    async close() {
      await server.stop();
      await db.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
