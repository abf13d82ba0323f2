// Load: simulated tablets against ONE real server process (sync-server/src/main.ts as a child
// process, as tests/server/two-processes.test.ts starts it) on a scratch database of the real
// Postgres at 127.0.0.1:5432. Each tablet signs in as its own user (an admin signs up per facility
// and invites the others), then loops: push a batch of `package.receive` mutations (gap-free ids per
// clientId), pull incrementally with its cookie until `more` is false, wait `--think` ms (±50 %).
// Every request is timed; any non-2xx answer or network error counts as an error.
//   npx tsx bench/load.ts [--seconds 60] [--facilities 10] [--tablets 5] [--batch 20] [--think 1000]
// Traffic goes to 127.0.0.1 only; the run stops by itself after --seconds (and aborts after
// seconds + 60 s whatever happens). Prints one JSON line; bench/README.md records results.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SCHEMA_VERSION } from '../src/lib/domain/sync/protocol.ts';
import { createScratchDatabase, signupBody } from '../tests/server/harness.ts';
import { startServerProcess } from '../tests/server/server-process.ts';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};
const SECONDS = arg('seconds', 60);
const FACILITIES = arg('facilities', 10);
const TABLETS = arg('tablets', 5); // per facility
const BATCH = arg('batch', 20);
const THINK_MS = arg('think', 1000);
const REQUEST_TIMEOUT_MS = 30_000;
/** `--cpu-prof DIR`: the server process writes a V8 CPU profile there when it exits. */
const CPU_PROF_DIR = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
const ORIGIN = 'http://localhost';

// A hard stop, whatever hangs: the benchmark is bounded in time.
const watchdog = setTimeout(
  () => {
    console.error('load: hard time limit reached, aborting');
    process.exit(2);
  },
  (SECONDS + 120) * 1000,
);
watchdog.unref();

const startServer = (databaseUrl: string) => {
  const lots = '1000000';
  // Quotas raised so that the load is measured, not refused (their own tests cover them).
  return startServerProcess(
    databaseUrl,
    {
      PUBLIC_ORIGIN: ORIGIN,
      AUTH_RATE_LIMIT_PER_MINUTE: lots,
      AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: lots,
      QUOTA_PUSHES_PER_MINUTE_PER_USER: lots,
      QUOTA_PUSHES_PER_MINUTE_PER_FACILITY: lots,
      QUOTA_INVITATIONS_PER_HOUR: lots,
    },
    CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [],
  );
};

/** One browser profile: its own cookie jar. */
class Session {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        origin: ORIGIN,
        'content-type': 'application/json',
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(';');
      const [name, ...v] = pair!.split('=');
      if (v.join('=') && !/max-age=0/i.test(sc)) this.cookies.set(name!.trim(), v.join('='));
    }
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  }

  async expect(status: number, method: string, path: string, body?: unknown) {
    const r = await this.call(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path} → ${r.status} ${r.text}`);
    return r.json;
  }
}

interface Tablet {
  session: Session;
  facilityId: string;
  clientId: string;
  nextMutationId: number;
  cookie: string | null;
}

/** An admin signs up per facility and invites the facility's other tablets' users (operators). */
async function setUp(base: string): Promise<Tablet[]> {
  const tablets: Tablet[] = [];
  await Promise.all(
    Array.from({ length: FACILITIES }, async () => {
      const admin = new Session(base);
      await admin.expect(201, 'POST', '/api/auth/signup', signupBody());
      const facilityId = (await admin.expect(200, 'GET', '/api/me')).activeFacilityId as string;
      const tablet = (session: Session): Tablet => ({ session, facilityId, clientId: randomUUID(), nextMutationId: 1, cookie: null });
      tablets.push(tablet(admin));
      for (let i = 1; i < TABLETS; i++) {
        const email = `operator-${randomUUID()}@example.test`;
        const inv = await admin.expect(201, 'POST', '/api/invitations', { email, role: 'operator', facilityId });
        if (!inv.token) throw new Error('the invitation token is only returned with no mail provider configured');
        const op = new Session(base);
        await op.expect(200, 'POST', `/api/invitations/${inv.token}/accept`, {
          name: `Operator ${i}`,
          password: 'a long password',
          ageConfirmed: true,
        });
        tablets.push(tablet(op));
      }
    }),
  );
  return tablets;
}

interface Sample {
  kind: 'push' | 'pull';
  ms: number;
  ok: boolean;
}

const samples: Sample[] = [];
const errors: string[] = [];

async function timed<R extends { status: number; text: string }>(kind: Sample['kind'], fn: () => Promise<R>): Promise<R | null> {
  const started = performance.now();
  try {
    const r = await fn();
    const ok = r.status >= 200 && r.status < 300;
    samples.push({ kind, ms: performance.now() - started, ok });
    if (!ok) errors.push(`${kind} → ${r.status} ${r.text.slice(0, 200)}`);
    return ok ? r : null;
  } catch (e) {
    samples.push({ kind, ms: performance.now() - started, ok: false });
    errors.push(`${kind} → ${(e as Error).message}`);
    return null;
  }
}

async function drive(t: Tablet, until: number) {
  const envelope = () => ({ protocolVersion: 1, schemaVersion: SCHEMA_VERSION, facilityId: t.facilityId, clientId: t.clientId });
  // Tablets start spread over one think time, as devices do.
  await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
  while (performance.now() < until) {
    const now = new Date().toISOString();
    const mutations = Array.from({ length: BATCH }, (_, i) => ({
      id: t.nextMutationId + i,
      name: 'package.receive',
      args: {
        id: randomUUID(),
        trackingNumber: `1Z${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
        carrier: 'ups',
        recipientName: 'Load Recipient',
        receivedAt: now,
      },
      clientTime: now,
    }));
    const pushed = await timed('push', () => t.session.call('POST', '/api/sync/push', { ...envelope(), mutations }));
    // A refused push is resent with the same ids (the queue keeps them), as a device would.
    if (pushed) t.nextMutationId += BATCH;
    for (let page = 0; page < 100; page++) {
      const pulled = await timed('pull', () => t.session.call('POST', '/api/sync/pull', { ...envelope(), cookie: t.cookie }));
      if (!pulled) break;
      const body = pulled.json as { cookie: string; more: boolean };
      t.cookie = body.cookie;
      if (!body.more) break;
    }
    if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
  }
}

function pct(sorted: number[], p: number) {
  if (!sorted.length) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

function summary(kind: Sample['kind'], seconds: number) {
  const all = samples.filter((s) => s.kind === kind);
  const ms = all.map((s) => s.ms).sort((a, b) => a - b);
  return {
    count: all.length,
    errors: all.filter((s) => !s.ok).length,
    perSecond: Math.round((all.length / seconds) * 10) / 10,
    p50: pct(ms, 50),
    p95: pct(ms, 95),
    p99: pct(ms, 99),
    max: pct(ms, 100),
  };
}

const scratch = await createScratchDatabase();
let server: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  server = await startServer(scratch.url);
  const tablets = await setUp(server.base);
  // A first pull per tablet (its snapshot) before the clock starts: the steady state is measured.
  await Promise.all(
    tablets.map(async (t) => {
      const r = await t.session.expect(200, 'POST', '/api/sync/pull', {
        protocolVersion: 1,
        schemaVersion: SCHEMA_VERSION,
        facilityId: t.facilityId,
        clientId: t.clientId,
        cookie: null,
      });
      t.cookie = r.cookie;
    }),
  );
  const load0 = os.loadavg()[0]!;
  const started = performance.now();
  await Promise.all(tablets.map((t) => drive(t, started + SECONDS * 1000)));
  const elapsed = (performance.now() - started) / 1000;
  const push = summary('push', elapsed);
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    loadAvg1m: { before: Math.round(load0 * 100) / 100, after: Math.round(os.loadavg()[0]! * 100) / 100 },
    seconds: Math.round(elapsed * 10) / 10,
    facilities: FACILITIES,
    tablets: tablets.length,
    batch: BATCH,
    thinkMs: THINK_MS,
    push,
    pull: summary('pull', elapsed),
    mutationsPerSecond: Math.round((samples.filter((s) => s.kind === 'push' && s.ok).length * BATCH) / elapsed),
    errors: errors.length,
  };
  console.log(JSON.stringify(result));
  if (errors.length) {
    console.error(`first errors:\n${errors.slice(0, 10).join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  await server?.stop();
  await scratch.drop();
}
