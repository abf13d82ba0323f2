// The receive form's mutations: `package.receive.v2` (package.receive plus shelf, perishable and
// needs-signature, with the tracking-number character rule) and `package.undoReceive` (the same
// person, while the package is only received, within minutes of the server's receipt).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDO_ACCEPT_MS } from '../../src/lib/domain/undo-receive.ts';
import { asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, receiveArgs, rowsOf, type State } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let operator: Awaited<ReturnType<typeof joinAs>>;
let operator2: Awaited<ReturnType<typeof joinAs>>;
let courier: Awaited<ReturnType<typeof joinAs>>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  operator = await joinAs(t, admin, 'operator');
  operator2 = await joinAs(t, admin, 'operator');
  courier = await joinAs(t, admin, 'courier');
});
afterAll(() => t?.close());

const as = (who: { client: Device['client'] }) => new Device(who.client, admin.facilityId);
const statuses = (r: { json: { results: { status: string }[] } }) => r.json.results.map((x) => x.status);

async function pulledPackages(d: Device) {
  const { patch } = await d.pullAll();
  return rowsOf(applyPatch(new Map() as State, patch), 'packages');
}

async function dbPackage(id: string) {
  return t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.findFirst({ where: { id } }));
}

describe('package.receive.v2', () => {
  it('stores shelf, perishable and needs-signature, and the server time it was logged', async () => {
    const d = as(operator);
    const args = { ...receiveArgs(), shelf: 'B-3', perishable: true, needsSignature: true };
    const before = Date.now();
    const res = await d.push([mutation(1, 'package.receive.v2', args)]);
    expect(statuses(res)).toEqual(['applied']);
    const row = (await pulledPackages(d)).get(args.id)!;
    expect(row).toMatchObject({
      shelf: 'B-3',
      perishable: true,
      needsSignature: true,
      trackingNumber: args.trackingNumber,
      status: 'received',
    });
    expect(Date.parse(row.loggedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(row.loggedAt).toMatch(/Z$/);
  });

  it('leaves the intake details at their defaults when they are not sent, as package.receive does', async () => {
    const d = as(operator);
    const v2 = receiveArgs();
    const v1 = receiveArgs({ trackingNumber: 'ANY 📦 TEXT' });
    const res = await d.push([mutation(1, 'package.receive.v2', v2), mutation(2, 'package.receive', v1)]);
    // package.receive keeps its contract: its argument shape and its rules are unchanged.
    expect(statuses(res)).toEqual(['applied', 'applied']);
    for (const id of [v2.id, v1.id]) expect(await dbPackage(id)).toMatchObject({ shelf: null, perishable: false, needsSignature: false });
  });

  it('refuses a tracking number with an emoji, in words, and applies nothing of it', async () => {
    const d = as(operator);
    const args = receiveArgs({ trackingNumber: '1Z999📦' });
    const res = await d.push([mutation(1, 'package.receive.v2', args)]);
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', code: 'invalid_args' });
    expect(res.json.results[0].message).toMatch(/trackingNumber: A tracking number has only letters A–Z, digits/);
    expect(await dbPackage(args.id)).toBeNull();
  });

  it.each([
    ['shelf', { shelf: 'x'.repeat(41) }],
    ['recipientName', { recipientName: 'x'.repeat(201) }],
    ['perishable', { perishable: 'yes' }],
    ['unknown field', { fragile: true }],
  ])('refuses bad arguments (%s)', async (_what, over) => {
    const d = as(operator);
    const args = { ...receiveArgs(), ...over };
    const res = await d.push([mutation(1, 'package.receive.v2', args)]);
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', code: 'invalid_args' });
    expect(await dbPackage(args.id)).toBeNull();
  });

  it('is not for couriers (the receive permission)', async () => {
    const res = await as(courier).push([mutation(1, 'package.receive.v2', receiveArgs())]);
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });
});

describe('package.undoReceive', () => {
  it('soft-deletes the package the same person just logged, with an event, and devices pull it as deleted', async () => {
    const d = as(operator);
    const args = receiveArgs();
    expect(statuses(await d.push([mutation(1, 'package.receive.v2', args)]))).toEqual(['applied']);
    const { cookie } = await d.pullAll();
    expect(statuses(await d.push([mutation(2, 'package.undoReceive', { id: args.id })]))).toEqual(['applied']);
    const row = await dbPackage(args.id);
    expect(row?.deletedAt).toBeInstanceOf(Date);
    const events = await t.deps.db.withFacility(admin.facilityId, (tx) =>
      tx.packageEvent.findMany({ where: { packageId: args.id }, orderBy: { version: 'asc' } }),
    );
    expect(events.map((e) => e.type)).toEqual(['received', 'receive_undone']);
    const after = await d.pullAll(cookie);
    expect(after.patch).toContainEqual({ op: 'del', table: 'packages', id: args.id });
  });

  it('in the same push as the receive (never synced in between): the package ends deleted and no one is notified', async () => {
    const d = as(operator);
    const recipientId = randomUUID();
    const args = receiveArgs({ recipientId });
    const res = await d.push([
      mutation(1, 'recipient.upsert', { id: recipientId, name: 'Ada Lovelace', email: 'ada@example.test' }),
      mutation(2, 'package.receive.v2', args),
      mutation(3, 'package.undoReceive', { id: args.id }),
    ]);
    expect(statuses(res)).toEqual(['applied', 'applied', 'applied']);
    expect((await dbPackage(args.id))?.deletedAt).toBeInstanceOf(Date);
    const queued = await asOwner(t, (c) => c.query(`SELECT count(*)::int AS n FROM notifications WHERE "packageId" = $1`, [args.id]));
    expect(queued.rows[0].n).toBe(0);
  });

  it('is refused to another operator, and the package stays', async () => {
    const args = receiveArgs();
    await as(operator).push([mutation(1, 'package.receive.v2', args)]);
    const res = await as(operator2).push([mutation(1, 'package.undoReceive', { id: args.id })]);
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect((await dbPackage(args.id))?.deletedAt).toBeNull();
  });

  it('is refused once the package moved on (held)', async () => {
    const d = as(operator);
    const args = receiveArgs();
    const res = await d.push([
      mutation(1, 'package.receive.v2', args),
      mutation(2, 'package.hold', { id: args.id, note: 'ID needed' }),
      mutation(3, 'package.undoReceive', { id: args.id }),
    ]);
    expect(res.json.results[2]).toMatchObject({ status: 'rejected', code: 'invalid_transition' });
    expect(await dbPackage(args.id)).toMatchObject({ status: 'held', deletedAt: null });
  });

  it('is refused after the window, counted from the server receipt', async () => {
    const d = as(operator);
    const args = receiveArgs();
    await d.push([mutation(1, 'package.receive.v2', args)]);
    await asOwner(t, (c) =>
      c.query(`UPDATE packages SET "loggedAt" = now() - make_interval(secs => $2) WHERE id = $1`, [args.id, UNDO_ACCEPT_MS / 1000 + 5]),
    );
    const res = await d.push([mutation(2, 'package.undoReceive', { id: args.id })]);
    expect(res.json.results[0]).toMatchObject({ status: 'rejected', code: 'undo_expired' });
    expect((await dbPackage(args.id))?.deletedAt).toBeNull();
  });

  it('counts from the server receipt, not the device clock: an old receiveAt still undoes', async () => {
    const d = as(operator);
    const args = receiveArgs({ receivedAt: new Date(Date.now() - 3 * 3600_000).toISOString() });
    const res = await d.push([mutation(1, 'package.receive.v2', args), mutation(2, 'package.undoReceive', { id: args.id })]);
    expect(statuses(res)).toEqual(['applied', 'applied']);
  });

  it('is refused for a package logged before the receipt time was kept, for an unknown id, and to a courier', async () => {
    const d = as(operator);
    const args = receiveArgs();
    await d.push([mutation(1, 'package.receive.v2', args)]);
    await asOwner(t, (c) => c.query(`UPDATE packages SET "loggedAt" = NULL WHERE id = $1`, [args.id]));
    const res = await d.push([
      mutation(2, 'package.undoReceive', { id: args.id }),
      mutation(3, 'package.undoReceive', { id: randomUUID() }),
    ]);
    expect(res.json.results.map((r: { code: string }) => r.code)).toEqual(['undo_expired', 'not_found']);
    const c = await as(courier).push([mutation(1, 'package.undoReceive', { id: args.id })]);
    expect(c.json.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });
});
