// (15) Model-based fuzzing of the sync protocol: N devices make random mutations while the network
// drops responses, duplicates and reorders requests and partitions devices. After a quiet period
// every device equals the server, every acknowledged mutation took effect exactly once, and every
// rejected one took none. FUZZ_RUNS sets the number of schedules (200 in `npm test`, 1,000 in
// `npm run test:fuzz`); FUZZ_SEED replays one.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HANDOFF_REFUSED, refusedHandOffEvidence } from '../../src/lib/domain/custody.ts';
import { signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, rowsOf, type State } from './sync-helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SYNC_PULL_PAGE_SIZE: '5' });
});
afterAll(() => t?.close());

type Kind = 'receive' | 'hold' | 'deliver' | 'return' | 'update' | 'delete';
type Action =
  | { do: 'mutate'; device: number; kind: Kind; pick: number }
  | { do: 'push'; device: number; count: number; net: 'ok' | 'lost' | 'twice' | 'reordered' | 'partitioned' }
  | { do: 'pull'; device: number; net: 'ok' | 'lost' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    do: fc.constant('mutate' as const),
    device: fc.nat(3),
    kind: fc.constantFrom<Kind>('receive', 'receive', 'hold', 'deliver', 'return', 'update', 'delete'),
    pick: fc.nat(),
  }),
  fc.record({
    do: fc.constant('push' as const),
    device: fc.nat(3),
    count: fc.integer({ min: 1, max: 6 }),
    net: fc.constantFrom('ok' as const, 'ok' as const, 'lost' as const, 'twice' as const, 'reordered' as const, 'partitioned' as const),
  }),
  fc.record({ do: fc.constant('pull' as const), device: fc.nat(3), net: fc.constantFrom('ok' as const, 'lost' as const) }),
);

interface Sim {
  device: Device;
  /** Mutations not yet known to be processed, in id order. */
  outbox: { id: number; name: string; args: Record<string, unknown>; clientTime: string }[];
  nextId: number;
  acked: number;
  cookie: string | null;
  state: State;
  /** Every package id this device knows of (its own and pulled ones). */
  known: string[];
}

function makeMutation(sim: Sim, kind: Kind, pick: number) {
  const target = sim.known.length ? sim.known[pick % sim.known.length]! : null;
  const at = new Date().toISOString();
  let name: string;
  let args: Record<string, unknown>;
  if (kind === 'receive' || !target) {
    const id = randomUUID();
    sim.known.push(id);
    name = 'package.receive';
    args = { id, trackingNumber: `FZ${pick}`, carrier: 'ups', recipientName: `Person ${pick % 7}`, receivedAt: at };
  } else if (kind === 'hold') [name, args] = ['package.hold', { id: target, note: `note ${pick}` }];
  else if (kind === 'deliver') [name, args] = ['package.deliver', { id: target, deliveredTo: `Person ${pick % 7}`, at }];
  else if (kind === 'return') [name, args] = ['package.return', { id: target }];
  else if (kind === 'update') [name, args] = ['package.update', { id: target, patch: { notes: `n${pick}` } }];
  else [name, args] = ['package.delete', { id: target }];
  sim.outbox.push({ id: sim.nextId++, name, args, clientTime: at });
}

async function push(
  sim: Sim,
  count: number,
  net: Action & { do: 'push' } extends infer A ? (A extends { net: infer N } ? N : never) : never,
) {
  if (net === 'partitioned' || !sim.outbox.length) return;
  const batch = sim.outbox.slice(0, count);
  if (net === 'reordered' && batch.length > 1) {
    // A later request overtakes an earlier one: the server must refuse the gap and apply nothing.
    const late = await sim.device.push(batch.slice(1));
    expect(late.status === 409 || late.status === 200).toBe(true);
    if (late.status === 409) expect(late.json.error).toBe('out_of_order');
  }
  const res = await sim.device.push(batch);
  if (net === 'twice') await sim.device.push(batch);
  expect(res.status).toBe(200);
  if (net === 'lost') return; // the device never hears back; it will send them again
  sim.acked = res.json.lastMutationId;
  sim.outbox = sim.outbox.filter((m) => m.id > sim.acked);
}

async function pull(sim: Sim, net: 'ok' | 'lost') {
  let cookie = sim.cookie;
  const staged: Parameters<typeof applyPatch>[1] = [];
  for (;;) {
    const r = await sim.device.pull(cookie);
    expect(r.status).toBe(200);
    staged.push(...r.json.patch);
    cookie = r.json.cookie;
    if (!r.json.more) break;
  }
  if (net === 'lost') return;
  applyPatch(sim.state, staged); // pages apply together once `more` is false
  sim.cookie = cookie;
  for (const id of rowsOf(sim.state, 'packages').keys()) if (!sim.known.includes(id)) sim.known.push(id);
}

it(`converges exactly once across ${RUNS} random schedules`, { timeout: Math.max(120_000, RUNS * 2_000) }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.array(action, { minLength: 5, maxLength: 40 }), async (devices, actions) => {
      const account = await signUp(t);
      const sims: Sim[] = Array.from({ length: devices }, () => ({
        device: new Device(account.client, account.facilityId),
        outbox: [],
        nextId: 1,
        acked: 0,
        cookie: null,
        state: new Map(),
        known: [],
      }));
      for (const a of actions) {
        const sim = sims[a.device % devices]!;
        if (a.do === 'mutate') makeMutation(sim, a.kind, a.pick);
        else if (a.do === 'push') await push(sim, a.count, a.net);
        else await pull(sim, a.net);
      }
      // Quiet: the network heals, every device drains its queue, then everyone pulls.
      for (const sim of sims) while (sim.outbox.length) await push(sim, 50, 'ok');
      for (const sim of sims) await pull(sim, 'ok');

      const fresh = new Device(account.client, account.facilityId);
      const all = applyPatch(new Map(), (await fresh.pullAll()).patch);
      for (const sim of sims) {
        for (const table of ['packages', 'packageEvents', 'attachments']) {
          expect(rowsOf(sim.state, table)).toEqual(rowsOf(all, table));
        }
      }

      // Exactly once: each processed mutation left one event, unless it was rejected (none) — but a
      // delivery refused because the package was already closed keeps its hand-off as one
      // `handoff_refused` event (docs/sync.md "Custody log"), unless it repeats the recorded one.
      const clientIds = sims.map((s) => s.device.clientId);
      const [events, rejections] = await t.deps.db.withFacility(account.facilityId, (tx) =>
        Promise.all([
          tx.packageEvent.groupBy({
            by: ['clientId', 'mutationId', 'type'],
            _count: { _all: true },
            where: { clientId: { in: clientIds } },
          }),
          tx.syncRejection.findMany({ where: { clientId: { in: clientIds } } }),
        ]),
      );
      const eventCount = new Map<string, number>();
      const refusedHandOffs = new Map<string, number>();
      for (const e of events) {
        const key = `${e.clientId}:${e.mutationId}`;
        eventCount.set(key, (eventCount.get(key) ?? 0) + e._count._all);
        if (e.type === HANDOFF_REFUSED) refusedHandOffs.set(key, e._count._all);
      }
      const rejected = new Map(rejections.map((r) => [`${r.clientId}:${r.mutationId}`, r]));
      const EVIDENCE_CTX = {
        actorId: randomUUID(),
        clientId: randomUUID(),
        mutationId: 0,
        now: new Date().toISOString(),
        newId: randomUUID,
      };
      const keepsEvidence = (key: string) => {
        const r = rejected.get(key);
        return Boolean(
          r &&
          refusedHandOffEvidence(
            { name: r.name, args: { id: randomUUID(), deliveredTo: 'x', at: new Date().toISOString() } },
            r,
            EVIDENCE_CTX,
          ),
        );
      };
      for (const sim of sims) {
        expect(sim.acked).toBe(sim.nextId - 1);
        for (let id = 1; id < sim.nextId; id++) {
          // Every mutation this fuzzer makes appends one event when applied (updates always name a field).
          const key = `${sim.device.clientId}:${id}`;
          const got = { key, events: eventCount.get(key) ?? 0, refusedHandOff: refusedHandOffs.get(key) ?? 0, rejected: rejected.has(key) };
          if (!rejected.has(key)) expect(got).toEqual({ key, events: 1, refusedHandOff: 0, rejected: false });
          else if (keepsEvidence(key) && rejected.get(key)!.code === 'already_in_state') {
            // Delivering a delivered package again keeps the new proof, unless it is the very hand-off
            // the package already records (the same person, the same signature): at most one event.
            expect(got.events).toBe(got.refusedHandOff);
            expect(got.events).toBeLessThanOrEqual(1);
          } else if (keepsEvidence(key)) expect(got).toEqual({ key, events: 1, refusedHandOff: 1, rejected: true });
          else expect(got).toEqual({ key, events: 0, refusedHandOff: 0, rejected: true });
        }
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});
