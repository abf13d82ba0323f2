// A real server process (sync-server/src/main.ts under node) on a given database, for the tests and
// benchmarks that need more than the in-process app: two processes on one Postgres, load.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface ServerProcess {
  base: string;
  proc: ChildProcess;
  log: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Starts the API (no built app) on 127.0.0.1 at a free port with NODE_ENV=test, and waits for
 * /api/health. `env` adds or overrides variables; `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  const log: string[] = [];
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'sync-server/src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      PUBLIC_ORIGIN: 'http://localhost',
      STATIC_DIR: '/nonexistent',
      DATA_DIR: '',
      BCRYPT_COST: '4',
      SENTRY_DSN: '',
      RESEND_API_KEY: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => log.push(String(d)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${log.join('')}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { base, proc, log, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`server did not start: ${log.join('')}`);
}
