// The app as the browser benchmarks run it: the built PWA (`build/`, built with `npx vite build`
// when missing) and the API from one in-process server on 127.0.0.1, on a scratch database of the
// real Postgres. The app accepts state-changing requests only from its own origin, which is this
// server's address.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createApp } from '../sync-server/src/app.ts';
import { buildDeps } from '../sync-server/src/deps.ts';
import { loadEnv } from '../sync-server/src/env.ts';
import { LogMailer } from '../sync-server/src/mail/mailer.ts';
import type { Page } from 'playwright-core';
import { createScratchDatabase, signupBody } from '../tests/server/harness.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type App = ReturnType<typeof createApp>;

export interface ServedApp {
  base: string;
  deps: Awaited<ReturnType<typeof buildDeps>>;
  /** The scratch database's connection string (for seeding outside the app). */
  databaseUrl: string;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Starts the app. `appRoot`: another checkout's build, for a before/after in one session; `port`:
 * a fixed one (else a free one); `handle`: wraps the app's fetch (to time or add routes).
 */
export async function startServedApp(
  opts: { appRoot?: string; port?: number; handle?: (app: App) => (req: Request) => Response | Promise<Response> } = {},
): Promise<ServedApp> {
  const appRoot = opts.appRoot ?? repoRoot;
  if (!existsSync(path.join(appRoot, 'build/index.html'))) {
    console.error('build/ missing: running `npx vite build`');
    const r = spawnSync('npx', ['vite', 'build'], { cwd: appRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const shell = await readFile(path.join(appRoot, 'build/index.html'), 'utf8');
  const port = opts.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;

  const scratch = await createScratchDatabase();
  const blobDir = await mkdtemp(path.join(os.tmpdir(), 'ptp-bench-blobs-'));
  const env = loadEnv({
    NODE_ENV: 'development',
    BCRYPT_COST: '4',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    DATA_DIR: '',
    BLOB_DIR: blobDir,
    DATABASE_URL: scratch.url,
    PORT: String(port),
    PUBLIC_ORIGIN: base,
  });
  const deps = await buildDeps(env, { mailer: new LogMailer(false) });
  const app = createApp(deps);
  app.use('/*', serveStatic({ root: path.relative(process.cwd(), path.join(appRoot, 'build')) || '.' }));
  app.get('*', (c) => c.html(shell));
  const fetch = opts.handle?.(app) ?? app.fetch;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port }, () => resolve(s));
  });
  return {
    base,
    deps,
    databaseUrl: scratch.url,
    async close() {
      server.close();
      await deps.db.close();
      await scratch.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

/** A new account with its facility, signed up through the API: its credentials, cookie and `/api/me`. */
export async function signUp(base: string) {
  const account = signupBody();
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(account),
  });
  if (signup.status !== 201) throw new Error(`signup → ${signup.status} ${await signup.text()}`);
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as { activeFacilityId: string; user: { id: string } };
  return { account, cookie, me };
}

/** Signs in through the login screen, as a person does. */
export async function signInPage(page: Page, account: { email: string; password: string }) {
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
