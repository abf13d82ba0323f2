// Departments and locations as synced, mutable tables (http-api.md "Directory"), and merging
// duplicate recipients: pushed by one device, pulled by another, refused for roles that may not,
// for another facility's ids and for deleted rows; deleting one in use keeps its references.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, receiveArgs, rowsOf, type State } from './sync-helpers.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;
let b: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp();
  [a, b] = await Promise.all([signUp(t), signUp(t)]);
});
afterAll(() => t?.close());

const outcome = (res: { json: { results: { status: string; code?: string }[] } }) => res.json.results.map((r) => r.code ?? r.status);

describe('directory sync', () => {
  it('pushes, pulls, updates and deletes departments and locations; another device sees each step', async () => {
    const admin = new Device(a.client, a.facilityId);
    const other = new Device(a.client, a.facilityId);
    const D = randomUUID();
    const L = randomUUID();
    let res = await admin.push([
      mutation(1, 'department.upsert', { id: D, name: 'Engineering' }),
      mutation(2, 'location.upsert', { id: L, name: 'Shelf A', building: 'HQ', floor: '3', deliveryInstructions: 'Back door' }),
    ]);
    expect(outcome(res)).toEqual(['applied', 'applied']);
    const first = await other.pullAll();
    const state: State = applyPatch(new Map(), first.patch);
    expect(rowsOf(state, 'departments').get(D)).toMatchObject({ id: D, name: 'Engineering', deletedAt: null });
    expect(rowsOf(state, 'locations').get(L)).toEqual({
      id: L,
      name: 'Shelf A',
      building: 'HQ',
      floor: '3',
      deliveryInstructions: 'Back door',
      version: expect.any(Number),
      deletedAt: null,
    });

    res = await admin.push([mutation(3, 'location.upsert', { id: L, name: 'Shelf B' }), mutation(4, 'department.delete', { id: D })]);
    expect(outcome(res)).toEqual(['applied', 'applied']);
    const next = await other.pullAll(first.cookie);
    expect(next.patch).toEqual(
      expect.arrayContaining([
        { op: 'put', table: 'locations', id: L, row: expect.objectContaining({ name: 'Shelf B', building: null }) },
        { op: 'del', table: 'departments', id: D },
      ]),
    );
    res = await admin.push([mutation(5, 'location.delete', { id: L }), mutation(6, 'location.upsert', { id: L, name: 'Revived' })]);
    expect(outcome(res)).toEqual(['applied', 'not_found']);
    const stored = await t.deps.db.withFacility(a.facilityId, (tx) => tx.location.findUniqueOrThrow({ where: { id: L } }));
    expect(stored.name).toBe('Shelf B');
    expect(stored.deletedAt).toBeInstanceOf(Date);
  });

  it('refuses operators, couriers and viewers (admins manage the directory); operators still create recipients', async () => {
    for (const role of ['operator', 'courier', 'viewer']) {
      const m = await joinAs(t, a, role);
      const d = new Device(m.client, a.facilityId);
      const res = await d.push([
        mutation(1, 'department.upsert', { id: randomUUID(), name: 'Sneaky' }),
        mutation(2, 'location.upsert', { id: randomUUID(), name: 'Sneaky' }),
        mutation(3, 'recipient.merge', { id: randomUUID(), intoId: randomUUID() }),
        mutation(4, 'recipient.upsert', { id: randomUUID(), name: 'On the spot' }),
      ]);
      expect(outcome(res), role).toEqual(['forbidden', 'forbidden', 'forbidden', role === 'operator' ? 'applied' : 'forbidden']);
    }
    const names = await t.deps.db.withFacility(a.facilityId, (tx) => tx.department.findMany({ where: { name: 'Sneaky' } }));
    expect(names).toEqual([]);
  });

  it("refuses another facility's department and location ids, touching nothing of theirs", async () => {
    const theirs = new Device(b.client, b.facilityId);
    const D = randomUUID();
    const L = randomUUID();
    expect(
      outcome(
        await theirs.push([
          mutation(1, 'department.upsert', { id: D, name: 'B dept' }),
          mutation(2, 'location.upsert', { id: L, name: 'B shelf' }),
        ]),
      ),
    ).toEqual(['applied', 'applied']);
    const mine = new Device(a.client, a.facilityId);
    const res = await mine.push([
      mutation(1, 'department.upsert', { id: D, name: 'Taken over' }),
      mutation(2, 'location.upsert', { id: L, name: 'Taken over' }),
      mutation(3, 'department.delete', { id: D }),
      mutation(4, 'location.delete', { id: L }),
    ]);
    expect(outcome(res)).toEqual(['not_found', 'not_found', 'not_found', 'not_found']);
    const [d, l] = await t.deps.db.withFacility(b.facilityId, (tx) =>
      Promise.all([tx.department.findUniqueOrThrow({ where: { id: D } }), tx.location.findUniqueOrThrow({ where: { id: L } })]),
    );
    expect([d.name, d.deletedAt, l.name, l.deletedAt]).toEqual(['B dept', null, 'B shelf', null]);
  });

  it('deleting a department or location in use keeps references; nothing new may point at it', async () => {
    const admin = new Device(a.client, a.facilityId);
    const [D, L, R] = [randomUUID(), randomUUID(), randomUUID()];
    const p = receiveArgs({ recipientId: R, locationId: L });
    let res = await admin.push([
      mutation(1, 'department.upsert', { id: D, name: 'Legal' }),
      mutation(2, 'location.upsert', { id: L, name: 'Desk 4' }),
      mutation(3, 'recipient.upsert', { id: R, name: 'Rita', departmentId: D, defaultLocationId: L }),
      mutation(4, 'package.receive', p),
      mutation(5, 'department.delete', { id: D }),
      mutation(6, 'location.delete', { id: L }),
      mutation(7, 'recipient.upsert', { id: R, name: 'Rita M.', departmentId: D, defaultLocationId: L }),
      mutation(8, 'recipient.upsert', { id: randomUUID(), name: 'New', departmentId: D }),
      mutation(9, 'package.receive', receiveArgs({ locationId: L })),
    ]);
    expect(outcome(res)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'not_found', 'not_found']);
    const { patch } = await new Device(a.client, a.facilityId).pullAll();
    const state = applyPatch(new Map(), patch);
    expect(rowsOf(state, 'recipients').get(R)).toMatchObject({ name: 'Rita M.', departmentId: D, defaultLocationId: L });
    expect(rowsOf(state, 'packages').get(p.id)).toMatchObject({ locationId: L });
    expect(rowsOf(state, 'departments').has(D)).toBe(false); // a snapshot leaves deleted rows out
    res = await admin.push([mutation(10, 'recipient.upsert', { id: R, name: 'Rita M.', departmentId: null })]);
    expect(outcome(res)).toEqual(['applied']);
  });

  it('merges a duplicate recipient: open packages follow the kept one, the duplicate is deleted, all in one pull', async () => {
    const admin = new Device(a.client, a.facilityId);
    const [KEEP, DUP] = [randomUUID(), randomUUID()];
    const open = receiveArgs({ recipientId: DUP, recipientName: 'A. Lovelace' });
    const held = receiveArgs({ recipientId: DUP, recipientName: 'A. Lovelace' });
    const done = receiveArgs({ recipientId: DUP, recipientName: 'A. Lovelace' });
    let res = await admin.push([
      mutation(1, 'recipient.upsert', { id: KEEP, name: 'Ada Lovelace', email: 'ada@example.test' }),
      mutation(2, 'recipient.upsert', { id: DUP, name: 'A. Lovelace', employeeId: 'E-77' }),
      mutation(3, 'package.receive', open),
      mutation(4, 'package.receive', held),
      mutation(5, 'package.receive', done),
      mutation(6, 'package.hold', { id: held.id, note: 'ID' }),
      mutation(7, 'package.deliver', { id: done.id, deliveredTo: 'Ada', at: new Date().toISOString() }),
    ]);
    expect(outcome(res).every((s) => s === 'applied')).toBe(true);
    const before = await new Device(a.client, a.facilityId).pullAll();

    // A second device merges without having loaded those packages: the server finds them itself.
    const other = new Device(a.client, a.facilityId);
    res = await other.push([
      mutation(1, 'recipient.merge', { id: DUP, intoId: KEEP }),
      mutation(2, 'recipient.merge', { id: DUP, intoId: KEEP }),
      mutation(3, 'recipient.merge', { id: KEEP, intoId: randomUUID() }),
    ]);
    expect(outcome(res)).toEqual(['applied', 'not_found', 'not_found']);
    const after = await new Device(a.client, a.facilityId).pullAll(before.cookie);
    const state = applyPatch(new Map(), [...before.patch, ...after.patch]);
    expect(rowsOf(state, 'packages').get(open.id)).toMatchObject({ recipientId: KEEP, recipientName: 'A. Lovelace' });
    expect(rowsOf(state, 'packages').get(held.id)).toMatchObject({ recipientId: KEEP, status: 'held' });
    expect(rowsOf(state, 'packages').get(done.id)).toMatchObject({ recipientId: DUP, status: 'delivered' });
    expect(rowsOf(state, 'recipients').get(KEEP)).toMatchObject({ email: 'ada@example.test', employeeId: 'E-77' });
    expect(rowsOf(state, 'recipients').has(DUP)).toBe(false);
    expect(after.patch).toContainEqual({ op: 'del', table: 'recipients', id: DUP });
    const events = after.patch.filter((o) => o.op === 'put' && o.table === 'packageEvents').map((o) => o.op === 'put' && o.row);
    expect(events.map((e) => e && [e.packageId, e.type]).sort()).toEqual(
      [
        [open.id, 'updated'],
        [held.id, 'updated'],
      ].sort(),
    );
  });

  it('merges a package received for the duplicate earlier in the same push', async () => {
    const admin = new Device(a.client, a.facilityId);
    const [KEEP, DUP] = [randomUUID(), randomUUID()];
    const p = receiveArgs({ recipientId: DUP });
    const res = await admin.push([
      mutation(1, 'recipient.upsert', { id: KEEP, name: 'Keep' }),
      mutation(2, 'recipient.upsert', { id: DUP, name: 'Dup' }),
      mutation(3, 'package.receive', p),
      mutation(4, 'recipient.merge', { id: DUP, intoId: KEEP }),
    ]);
    expect(outcome(res)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const row = await t.deps.db.withFacility(a.facilityId, (tx) => tx.package.findUniqueOrThrow({ where: { id: p.id } }));
    expect(row.recipientId).toBe(KEEP);
  });
});
