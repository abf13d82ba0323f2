// Two server processes on one Postgres (issue: production hardening, Operations): a device pushes
// to one and pulls from the other, and lockouts, rate limits and job locks hold across both, because
// no state lives in a process's memory.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExclusive } from '../../sync-server/src/db/job-lock.ts';
import { openDatabase } from '../../sync-server/src/db/index.ts';
import { SCHEMA_VERSION } from '../../src/lib/domain/sync/protocol.ts';
import { createScratchDatabase, signupBody, usingPglite } from './harness.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { mutation, receiveArgs } from './sync-helpers.ts';

const ORIGIN = 'http://localhost';
const LOGIN_LIMIT = 8;

type Server = ServerProcess;
const startServer = (databaseUrl: string) =>
  startServerProcess(databaseUrl, {
    PUBLIC_ORIGIN: ORIGIN,
    AUTH_RATE_LIMIT_PER_MINUTE: String(LOGIN_LIMIT),
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000',
  });

/** A browser-like client that may talk to either server with the same cookie. */
class Client {
  cookie = '';
  async call(server: Server, method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: { origin: ORIGIN, 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie()[0];
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }
}

describe.skipIf(usingPglite)('two server processes on one Postgres', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    a = await startServer(scratch.url); // applies the migrations
    b = await startServer(scratch.url);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await scratch?.drop();
  });

  it('a device pushes to one process and pulls from the other', async () => {
    const c = new Client();
    expect((await c.call(a, 'POST', '/api/auth/signup', signupBody())).status).toBe(201);
    const me = await c.call(b, 'GET', '/api/me');
    expect(me.status).toBe(200); // the session lives in the database
    const facilityId = me.json.activeFacilityId;
    const envelope = { protocolVersion: 1, schemaVersion: SCHEMA_VERSION, facilityId, clientId: randomUUID() };
    const receives = [1, 2, 3].map((id) => mutation(id, 'package.receive', receiveArgs()));
    expect((await c.call(a, 'POST', '/api/sync/push', { ...envelope, mutations: receives })).status).toBe(200);
    const pulled = await c.call(b, 'POST', '/api/sync/pull', { ...envelope, cookie: null });
    expect(pulled.json.lastMutationId).toBe(3);
    expect(pulled.json.patch.filter((p: { table: string }) => p.table === 'packages')).toHaveLength(3);
    // The same mutations replayed against the other process are not applied twice.
    const replay = await c.call(b, 'POST', '/api/sync/push', { ...envelope, mutations: receives });
    expect(replay.json.results.map((r: { status: string }) => r.status)).toEqual([
      'alreadyProcessed',
      'alreadyProcessed',
      'alreadyProcessed',
    ]);
  });

  it('shares the lockout and the rate limits between the processes', async () => {
    const owner = new Client();
    const body = signupBody();
    expect((await owner.call(b, 'POST', '/api/auth/signup', body)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await new Client().call(i % 2 ? a : b, 'POST', '/api/auth/login', { email: body.email, password: `wrong ${i}` })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Five failures spread over two processes lock the account on both.
    expect((await new Client().call(a, 'POST', '/api/auth/login', { email: body.email, password: body.password })).status).toBe(423);

    // Six login requests so far from this address; the per-address budget is shared too.
    const more: number[] = [];
    for (let i = 0; i < 4; i++) {
      more.push((await new Client().call(i % 2 ? a : b, 'POST', '/api/auth/login', { email: `x${i}@example.test`, password: 'x' })).status);
    }
    expect(more).toEqual([401, 401, 429, 429]);
  });

  it('runs a scheduled job in one process at a time', async () => {
    const [one, two] = await Promise.all([
      openDatabase({ url: scratch.url, migrate: false }),
      openDatabase({ url: scratch.url, migrate: false }),
    ]);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const first = runExclusive(one, 'tombstone-purge', async () => {
        started();
        await held;
      });
      await running;
      expect(await runExclusive(two, 'tombstone-purge', async () => {})).toBe(false);
      release();
      expect(await first).toBe(true);
      expect(await runExclusive(two, 'tombstone-purge', async () => {})).toBe(true);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
