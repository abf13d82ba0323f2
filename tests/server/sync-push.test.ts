// sync-protocol.md "Push": exactly once, in order, never wedged. Numbers refer to the list.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_ON, joinAs, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, receiveArgs, rowsOf } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp(BILLING_ON);
  admin = await signUp(t);
});
afterAll(() => t?.close());

const device = () => new Device(admin.client, admin.facilityId);

async function packageCount(trackingNumbers: string[]) {
  return t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.count({ where: { trackingNumber: { in: trackingNumbers } } }));
}

async function eventCount(packageId: string) {
  return t.deps.db.withFacility(admin.facilityId, (tx) => tx.packageEvent.count({ where: { packageId } }));
}

describe('push', () => {
  it('(1) a push delivered twice (response lost, retried) is applied once', async () => {
    const d = device();
    const muts = [1, 2, 3].map((i) => mutation(i, 'package.receive', receiveArgs()));
    const first = await d.push(muts);
    expect(first.status).toBe(200);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const again = await d.push(muts);
    expect(again.json).toEqual({
      lastMutationId: 3,
      results: [1, 2, 3].map((id) => ({ id, status: 'alreadyProcessed' })),
    });
    expect(await packageCount(muts.map((m) => m.args.trackingNumber))).toBe(3);
    for (const m of muts) expect(await eventCount(m.args.id)).toBe(1);
  });

  it('(2) 10 concurrent replays of one mutation id have one effect', async () => {
    const d = device();
    const m = mutation(1, 'package.receive', receiveArgs());
    const all = await Promise.all(Array.from({ length: 10 }, () => d.push([m])));
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(200));
    const statuses = all.map((r) => r.json.results[0].status).sort();
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'alreadyProcessed')).toHaveLength(9);
    expect(await packageCount([m.args.trackingNumber])).toBe(1);
    expect(await eventCount(m.args.id)).toBe(1);
  });

  it('(3) a gap answers 409 out_of_order with the expected id and applies nothing', async () => {
    const d = device();
    expect((await d.push([mutation(1, 'package.receive', receiveArgs())])).status).toBe(200);
    const a = receiveArgs();
    const b = receiveArgs();
    // A gap inside the batch refuses the whole batch; the client resends from lastMutationId + 1.
    const res = await d.push([mutation(2, 'package.receive', a), mutation(4, 'package.receive', b)]);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'out_of_order', expected: 2 });
    expect(await packageCount([a.trackingNumber, b.trackingNumber])).toBe(0);
    const skip = await d.push([mutation(3, 'package.receive', b)]);
    expect(skip.json).toMatchObject({ error: 'out_of_order', expected: 2 });
  });

  it('(4) two tabs of one client pushing overlapping batches at once: no double apply, no loss', async () => {
    const d = device();
    const muts = Array.from({ length: 8 }, (_, i) => mutation(i + 1, 'package.receive', receiveArgs()));
    const [tab1, tab2] = await Promise.all([d.push(muts.slice(0, 5)), d.push(muts)]);
    expect([tab1.status, tab2.status]).toEqual([200, 200]);
    const applied = [...tab1.json.results, ...tab2.json.results].filter((r: { status: string }) => r.status === 'applied');
    expect(applied.map((r: { id: number }) => r.id).sort((x: number, y: number) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await packageCount(muts.map((m) => m.args.trackingNumber))).toBe(8);
    const final = await d.push([]);
    expect(final.json.lastMutationId).toBe(8);
  });

  it('(5) a rejected mutation advances lastMutationId, keeps its reason, and later ones apply', async () => {
    const d = device();
    const p = receiveArgs();
    const res = await d.push([
      mutation(1, 'package.receive', p),
      mutation(2, 'package.deliver', { id: p.id, deliveredTo: 'Ada', at: new Date().toISOString() }),
      mutation(3, 'package.hold', { id: p.id, note: 'too late' }),
      mutation(4, 'package.deliver', { id: p.id, deliveredTo: 'Ada', at: new Date().toISOString() }),
      mutation(5, 'package.receive', { ...receiveArgs(), recipientId: randomUUID() }),
      mutation(6, 'package.receive', receiveArgs()),
    ]);
    expect(res.json.lastMutationId).toBe(6);
    expect(res.json.results).toEqual([
      { id: 1, status: 'applied' },
      { id: 2, status: 'applied' },
      { id: 3, status: 'rejected', code: 'invalid_transition', message: expect.any(String) },
      { id: 4, status: 'rejected', code: 'already_in_state', message: expect.any(String) },
      { id: 5, status: 'rejected', code: 'unknown_recipient', message: expect.any(String) },
      { id: 6, status: 'applied' },
    ]);
    // The reason survives a lost response: a replay says alreadyProcessed and repeats the code.
    const replay = await d.push([mutation(3, 'package.hold', { id: p.id, note: 'too late' })]);
    expect(replay.json.results[0]).toMatchObject({ id: 3, status: 'alreadyProcessed', code: 'invalid_transition' });
    const stored = await t.deps.db.withFacility(admin.facilityId, (tx) =>
      tx.syncRejection.findMany({ where: { clientId: d.clientId }, orderBy: { mutationId: 'asc' } }),
    );
    expect(stored.map((r) => [r.mutationId, r.code])).toEqual([
      [3, 'invalid_transition'],
      [4, 'already_in_state'],
      [5, 'unknown_recipient'],
    ]);
    const pkg = await t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.findUnique({ where: { id: p.id } }));
    expect(pkg?.status).toBe('delivered');
    expect(pkg?.holdNote).toBeNull();
  });

  it('rejects bad arguments and unknown names per mutation (the queue never wedges)', async () => {
    const d = device();
    const res = await d.push([
      mutation(1, 'package.receive', { id: 'not-a-uuid' }),
      mutation(2, 'package.teleport', {}),
      mutation(3, 'package.receive', receiveArgs()),
    ]);
    expect(res.json.results.map((r: { status: string; code?: string }) => [r.status, r.code])).toEqual([
      ['rejected', 'invalid_args'],
      ['rejected', 'unknown_mutation'],
      ['applied', undefined],
    ]);
  });

  it.skipIf(usingPglite)('(6) a database failure mid-batch commits nothing; the retry applies each mutation once', async () => {
    const d = device();
    const committed = [1, 2].map((i) => mutation(i, 'package.receive', receiveArgs()));
    expect((await d.push(committed)).status).toBe(200);
    const failing = [3, 4, 5].map((i) =>
      mutation(i, 'package.receive', receiveArgs(i === 4 ? { trackingNumber: 'CUT-THE-CONNECTION' } : {})),
    );
    const owner = new pg.Client({ connectionString: t.databaseUrl! });
    await owner.connect();
    // The connection dies in the middle of the push's transaction, as in an outage.
    await owner.query(`
      CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF NEW."trackingNumber" = 'CUT-THE-CONNECTION' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cut_connection BEFORE INSERT ON packages FOR EACH ROW EXECUTE FUNCTION cut_connection();`);
    try {
      const res = await d.push([...committed, ...failing]);
      expect(res.status).toBe(503);
      expect(res.json.error).toBe('unavailable');
    } finally {
      await owner.query('DROP TRIGGER cut_connection ON packages; DROP FUNCTION cut_connection();');
      await owner.end();
    }
    expect(await packageCount(failing.map((m) => m.args.trackingNumber))).toBe(0);
    const retry = await d.push([...committed, ...failing]);
    expect(retry.status).toBe(200);
    expect(retry.json.results.map((r: { status: string }) => r.status)).toEqual([
      'alreadyProcessed',
      'alreadyProcessed',
      'applied',
      'applied',
      'applied',
    ]);
    expect(await packageCount([...committed, ...failing].map((m) => m.args.trackingNumber))).toBe(5);
  });

  it.each([
    ['a negative id', -1],
    ['id 0', 0],
    ['a fractional id', 1.5],
    ['an id past the integer range', 2 ** 31],
    ['a huge id', Number.MAX_SAFE_INTEGER],
    ['a string id', '1'],
    ['a null id (NaN in JSON)', null],
  ])('(7) refuses %s with 400 and applies nothing', async (_what, id) => {
    const d = device();
    const args = receiveArgs();
    const res = await d.push([{ id, name: 'package.receive', args, clientTime: new Date().toISOString() }]);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(await packageCount([args.trackingNumber])).toBe(0);
  });

  it('(7) refuses a clientId that belongs to another user or another facility (403)', async () => {
    const d = device();
    expect((await d.push([mutation(1, 'package.receive', receiveArgs())])).status).toBe(200);

    const other = await signUp(t);
    const stolen = new Device(other.client, other.facilityId, d.clientId);
    const res = await stolen.push([mutation(2, 'package.receive', receiveArgs())]);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('client_mismatch');
    expect((await stolen.pull(null)).status).toBe(403);

    // The same user in a second facility may not reuse the first facility's clientId.
    const created = await admin.client.post('/api/facilities', { name: 'Second Desk' });
    await admin.client.post('/api/me/active-facility', { facilityId: created.json.id });
    try {
      const moved = new Device(admin.client, created.json.id, d.clientId);
      const r2 = await moved.push([mutation(2, 'package.receive', receiveArgs())]);
      expect(r2.status).toBe(403);
    } finally {
      await admin.client.post('/api/me/active-facility', { facilityId: admin.facilityId });
    }
  });

  it('a package id already used, here or by another facility, is rejected alreadyExists and changes nothing', async () => {
    const mine = receiveArgs();
    const d = device();
    expect((await d.push([mutation(1, 'package.receive', mine)])).json.results[0].status).toBe('applied');
    const again = await d.push([mutation(2, 'package.receive', { ...mine, trackingNumber: 'SAME-ID-HERE' })]);
    expect(again.json.results[0]).toMatchObject({ status: 'rejected', code: 'alreadyExists' });

    // Another organization's device with the same client-made id (RLS hides the row; the id is taken).
    const other = await signUp(t);
    const theirs = new Device(other.client, other.facilityId);
    const res = await theirs.push([
      mutation(1, 'package.receive', { ...mine, trackingNumber: 'SAME-ID-ELSEWHERE' }),
      mutation(2, 'package.receive', receiveArgs()),
    ]);
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual(['alreadyExists', 'applied']);
    expect(await packageCount([mine.trackingNumber])).toBe(1);
    expect(await packageCount(['SAME-ID-HERE', 'SAME-ID-ELSEWHERE'])).toBe(0);
    expect(await eventCount(mine.id)).toBe(1);
  });

  it('answers 409 facility_mismatch when the request names another facility, and applies nothing', async () => {
    const other = await signUp(t);
    const d = new Device(admin.client, other.facilityId);
    const args = receiveArgs();
    const res = await d.push([mutation(1, 'package.receive', args)]);
    expect(res.status).toBe(409);
    expect(res.json.error).toBe('facility_mismatch');
    expect(await packageCount([args.trackingNumber])).toBe(0);
    expect((await d.pull(null)).json.error).toBe('facility_mismatch');
  });

  it('answers 426 to an unsupported schemaVersion, keeping nothing', async () => {
    const d = device();
    const res = await d.push([mutation(1, 'package.receive', receiveArgs())], { schemaVersion: 999 });
    expect(res.status).toBe(426);
    expect(res.json.error).toBe('version_not_supported');
    expect((await d.pull(null, { schemaVersion: 999 })).status).toBe(426);
  });

  it('answers 403 read_only for a facility whose trial ended, keeping the queue on the device', async () => {
    const ro = await signUp(t);
    await t.deps.db.prisma.subscription.update({
      where: { facilityId: ro.facilityId },
      data: { trialEndsAt: new Date(Date.now() - 24 * 3600 * 1000) },
    });
    const d = new Device(ro.client, ro.facilityId);
    const args = receiveArgs();
    const res = await d.push([mutation(1, 'package.receive', args)]);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('read_only');
    // Reading still works in read-only mode.
    expect((await d.pull(null)).status).toBe(200);
  });

  it('without Stripe configured (billing off), a facility whose trial ended stays writable', async () => {
    const off = await startTestApp();
    try {
      const a = await signUp(off);
      await off.deps.db.prisma.subscription.update({
        where: { facilityId: a.facilityId },
        data: { trialEndsAt: new Date(Date.now() - 60 * 24 * 3600 * 1000) },
      });
      const res = await new Device(a.client, a.facilityId).push([mutation(1, 'package.receive', receiveArgs())]);
      expect(res.status).toBe(200);
      expect(res.json.results[0].status).toBe('applied');
    } finally {
      await off.close();
    }
  });

  it('enforces the role table: a courier may deliver but not receive', async () => {
    const { client: courier } = await joinAs(t, admin, 'courier');
    const p = receiveArgs();
    await device().push([mutation(1, 'package.receive', p)]);
    const d = new Device(courier, admin.facilityId);
    const res = await d.push([
      mutation(1, 'package.receive', receiveArgs()),
      mutation(2, 'package.deliver', { id: p.id, deliveredTo: 'Ada Lovelace', at: new Date().toISOString() }),
    ]);
    expect(res.json.results.map((r: { status: string; code?: string }) => [r.status, r.code])).toEqual([
      ['rejected', 'forbidden'],
      ['applied', undefined],
    ]);
  });
});

describe('convergence', () => {
  it('(11) deliver on one device vs return on another: exactly one wins, the loser sees why, both converge', async () => {
    const setup = device();
    const p = receiveArgs();
    await setup.push([mutation(1, 'package.receive', p)]);
    const phone = device();
    const tablet = device();
    const [a, b] = await Promise.all([
      phone.push([mutation(1, 'package.deliver', { id: p.id, deliveredTo: 'Ada', at: new Date().toISOString() })]),
      tablet.push([mutation(1, 'package.return', { id: p.id, note: 'refused by recipient' })]),
    ]);
    const outcomes = [a.json.results[0], b.json.results[0]];
    expect(outcomes.filter((r) => r.status === 'applied')).toHaveLength(1);
    const loser = outcomes.find((r) => r.status === 'rejected');
    expect(loser?.code).toBe('invalid_transition');

    const sa = applyPatch(new Map(), (await phone.pullAll()).patch);
    const sb = applyPatch(new Map(), (await tablet.pullAll()).patch);
    const rowA = rowsOf(sa, 'packages').get(p.id)!;
    const rowB = rowsOf(sb, 'packages').get(p.id)!;
    expect(rowA).toEqual(rowB);
    expect(['delivered', 'returned']).toContain(rowA.status);
    expect(rowA.status).toBe(a.json.results[0].status === 'applied' ? 'delivered' : 'returned');
  });

  it('per-field last write wins by server arrival for package.update', async () => {
    const d1 = device();
    const d2 = device();
    const p = receiveArgs({ sender: 'Old Sender', notes: 'old notes' });
    await d1.push([mutation(1, 'package.receive', p)]);
    await d1.push([mutation(2, 'package.update', { id: p.id, patch: { sender: 'From phone', notes: 'phone notes' } })]);
    await d2.push([mutation(1, 'package.update', { id: p.id, patch: { notes: 'tablet notes' } })]);
    const row = rowsOf(applyPatch(new Map(), (await d1.pullAll()).patch), 'packages').get(p.id)!;
    expect(row.sender).toBe('From phone');
    expect(row.notes).toBe('tablet notes');
  });
});

describe('side effects', () => {
  it('queues the Package Received notification with the change, and none for a rejected one', async () => {
    const d = device();
    const recipientId = randomUUID();
    const p = receiveArgs({ recipientId });
    const dup = { ...receiveArgs({ recipientId }), id: p.id };
    const res = await d.push([
      mutation(1, 'recipient.upsert', { id: recipientId, name: 'Grace Hopper', email: 'grace@example.test' }),
      mutation(2, 'package.receive', p),
      mutation(3, 'package.receive', dup),
      mutation(4, 'package.hold', { id: p.id, note: 'ID needed' }),
    ]);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    const queued = await t.deps.db.withFacility(admin.facilityId, (tx) =>
      tx.notification.findMany({ where: { packageId: p.id }, orderBy: { kind: 'asc' } }),
    );
    expect(queued.map((n) => [n.kind, n.recipientId, n.status])).toEqual([
      ['held', recipientId, 'queued'],
      ['received', recipientId, 'queued'],
    ]);
  });
});
