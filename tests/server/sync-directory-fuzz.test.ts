// Model-based fuzzing of the directory tables (the sync-fuzz.test.ts pattern): admins on several
// devices create, edit and delete departments and locations, point recipients at them, receive
// packages and merge duplicate recipients while the network loses, duplicates and reorders
// requests. After a quiet period every device equals a fresh snapshot, each id's fate follows the
// mutations the server applied (applied = sent − rejected), and no open package points at a
// recipient merged away. FUZZ_RUNS sets the number of schedules; FUZZ_SEED replays one.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, rowsOf, type State } from './sync-helpers.ts';

const RUNS = Math.max(10, Math.round(Number(process.env.FUZZ_RUNS ?? 200) / 4));
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SYNC_PULL_PAGE_SIZE: '4' });
});
afterAll(() => t?.close());

const KINDS = ['department', 'location', 'deleteDepartment', 'deleteLocation', 'recipient', 'receive', 'merge', 'deliver'] as const;
type Kind = (typeof KINDS)[number];
type Net = 'ok' | 'lost' | 'twice' | 'reordered';
type Action =
  | { do: 'mutate'; device: number; kind: Kind; pick: number; pick2: number }
  | { do: 'push'; device: number; net: Net }
  | { do: 'pull'; device: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ do: fc.constant('mutate' as const), device: fc.nat(2), kind: fc.constantFrom(...KINDS), pick: fc.nat(), pick2: fc.nat() }),
  fc.record({ do: fc.constant('push' as const), device: fc.nat(2), net: fc.constantFrom<Net>('ok', 'ok', 'lost', 'twice', 'reordered') }),
  fc.record({ do: fc.constant('pull' as const), device: fc.nat(2) }),
);

interface Sent {
  id: number;
  name: string;
  args: Record<string, unknown>;
  clientTime: string;
}
interface Sim {
  device: Device;
  outbox: Sent[];
  sent: Sent[];
  nextId: number;
  cookie: string | null;
  state: State;
}

/** Ids every device has heard of (a shared pool, so devices act on each other's rows). */
const pool = { departments: [] as string[], locations: [] as string[], recipients: [] as string[], packages: [] as string[] };
const pickOf = (list: string[], n: number) => (list.length ? list[n % list.length]! : null);

function makeMutation(sim: Sim, kind: Kind, pick: number, pick2: number) {
  const fresh = pick % 3 === 0;
  let name: string;
  let args: Record<string, unknown>;
  const dept = pickOf(pool.departments, pick2);
  const loc = pickOf(pool.locations, pick2);
  if (kind === 'department' || kind === 'location') {
    const list = kind === 'department' ? pool.departments : pool.locations;
    const id = fresh || !list.length ? randomUUID() : pickOf(list, pick)!;
    if (!list.includes(id)) list.push(id);
    [name, args] = [`${kind}.upsert`, { id, name: `${kind} ${pick % 5}` }];
  } else if (kind === 'deleteDepartment' && dept) [name, args] = ['department.delete', { id: dept }];
  else if (kind === 'deleteLocation' && loc) [name, args] = ['location.delete', { id: loc }];
  else if (kind === 'merge' && pool.recipients.length > 1) {
    [name, args] = ['recipient.merge', { id: pickOf(pool.recipients, pick)!, intoId: pickOf(pool.recipients, pick2)! }];
  } else if (kind === 'receive' && pool.recipients.length) {
    const id = randomUUID();
    pool.packages.push(id);
    const recipientId = pickOf(pool.recipients, pick)!;
    [name, args] = [
      'package.receive',
      {
        id,
        trackingNumber: `DF${pick}`,
        carrier: 'ups',
        recipientId,
        recipientName: 'P',
        locationId: loc,
        receivedAt: new Date().toISOString(),
      },
    ];
  } else if (kind === 'deliver' && pool.packages.length) {
    [name, args] = ['package.deliver', { id: pickOf(pool.packages, pick)!, deliveredTo: 'P', at: new Date().toISOString() }];
  } else {
    const id = fresh || !pool.recipients.length ? randomUUID() : pickOf(pool.recipients, pick)!;
    if (!pool.recipients.includes(id)) pool.recipients.push(id);
    [name, args] = ['recipient.upsert', { id, name: `Person ${pick % 9}`, departmentId: dept, defaultLocationId: loc }];
  }
  const m = { id: sim.nextId++, name, args, clientTime: new Date().toISOString() };
  sim.outbox.push(m);
  sim.sent.push(m);
}

async function push(sim: Sim, net: Net) {
  if (!sim.outbox.length) return;
  const batch = sim.outbox.slice(0, 5);
  if (net === 'reordered' && batch.length > 1) {
    const late = await sim.device.push(batch.slice(1));
    expect([200, 409]).toContain(late.status);
  }
  const res = await sim.device.push(batch);
  if (net === 'twice') expect((await sim.device.push(batch)).status).toBe(200);
  expect(res.status).toBe(200);
  if (net === 'lost') return;
  sim.outbox = sim.outbox.filter((m) => m.id > res.json.lastMutationId);
}

async function pull(sim: Sim) {
  const r = await sim.device.pullAll(sim.cookie);
  applyPatch(sim.state, r.patch);
  sim.cookie = r.cookie;
}

it(
  `directory tables converge and follow the applied mutations across ${RUNS} random schedules`,
  { timeout: Math.max(120_000, RUNS * 3_000) },
  async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), fc.array(action, { minLength: 5, maxLength: 40 }), async (devices, actions) => {
        const account = await signUp(t);
        for (const list of Object.values(pool)) list.length = 0;
        const sims: Sim[] = Array.from({ length: devices }, () => ({
          device: new Device(account.client, account.facilityId),
          outbox: [],
          sent: [],
          nextId: 1,
          cookie: null,
          state: new Map(),
        }));
        for (const a of actions) {
          const sim = sims[a.device % devices]!;
          if (a.do === 'mutate') makeMutation(sim, a.kind, a.pick, a.pick2);
          else if (a.do === 'push') await push(sim, a.net);
          else await pull(sim);
        }
        for (const sim of sims) while (sim.outbox.length) await push(sim, 'ok');
        for (const sim of sims) await pull(sim);

        const all = applyPatch(new Map(), (await new Device(account.client, account.facilityId).pullAll()).patch);
        for (const sim of sims) {
          for (const table of ['departments', 'locations', 'recipients', 'packages'])
            expect(rowsOf(sim.state, table)).toEqual(rowsOf(all, table));
        }

        const rejected = new Set(
          (
            await t.deps.db.withFacility(account.facilityId, (tx) =>
              tx.syncRejection.findMany({ where: { clientId: { in: sims.map((s) => s.device.clientId) } } }),
            )
          ).map((r) => `${r.clientId}:${r.mutationId}`),
        );
        const applied = sims.flatMap((s) => s.sent.filter((m) => !rejected.has(`${s.device.clientId}:${m.id}`)));
        const appliedIds = (name: string, key = 'id') => new Set(applied.filter((m) => m.name === name).map((m) => m.args[key] as string));
        for (const [table, kind] of [
          ['departments', 'department'],
          ['locations', 'location'],
        ] as const) {
          // Live exactly when an upsert of it was applied and no delete was.
          const live = [...appliedIds(`${kind}.upsert`)].filter((id) => !appliedIds(`${kind}.delete`).has(id));
          expect([...rowsOf(all, table).keys()].sort()).toEqual(live.sort());
        }
        const mergedAway = appliedIds('recipient.merge');
        const upserted = appliedIds('recipient.upsert');
        expect([...rowsOf(all, 'recipients').keys()].sort()).toEqual([...upserted].filter((id) => !mergedAway.has(id)).sort());
        for (const p of rowsOf(all, 'packages').values()) {
          if (p.status === 'received' || p.status === 'held')
            expect(mergedAway.has(p.recipientId as string), `open package of a merged-away recipient`).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  },
);
