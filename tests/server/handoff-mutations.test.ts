// The hand-off mutations through a real push (docs/sync.md "Hand-off mutations"): the facility's
// "signature required for every hand-off" setting is read from the database, needs-signature is
// enforced on both deliver mutations, holds and returns carry reasons, and a delivery or return can
// be taken back by its author within minutes or by an admin later, always as a new event.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let operator: Awaited<ReturnType<typeof joinAs>>;
let courier: Awaited<ReturnType<typeof joinAs>>;
let courier2: Awaited<ReturnType<typeof joinAs>>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  operator = await joinAs(t, admin, 'operator');
  courier = await joinAs(t, admin, 'courier');
  courier2 = await joinAs(t, admin, 'courier');
});
afterAll(() => t?.close());

const SIG = 'c'.repeat(64);
const as = (who: { client: Device['client'] }) => new Device(who.client, admin.facilityId);
const results = (r: { json: { results: { status: string; code?: string }[] } }) => r.json.results.map((x) => x.code ?? x.status);
const now = () => new Date().toISOString();

async function dbPackage(id: string) {
  return t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.findFirst({ where: { id } }));
}
async function eventTypes(id: string) {
  const rows = await t.deps.db.withFacility(admin.facilityId, (tx) =>
    tx.packageEvent.findMany({ where: { facilityId: admin.facilityId, packageId: id }, orderBy: { seq: 'asc' } }),
  );
  return rows.map((r) => r.type);
}
async function setSignatureRequired(on: boolean) {
  await asOwner(t, (c) => c.query(`UPDATE facilities SET "signatureRequired" = $2 WHERE id = $1`, [admin.facilityId, on]));
}
async function received(extra: Record<string, unknown> = {}, name = 'package.receive') {
  const args = receiveArgs(extra);
  const r = await as(operator).push([mutation(1, name, args)]);
  expect(results(r)).toEqual(['applied']);
  return args;
}

describe('package.deliver.v2', () => {
  it('needs a signature while the facility asks for one (the default), and not once an admin turns it off', async () => {
    const p = await received();
    const d = as(courier);
    const bare = { id: p.id, deliveredTo: 'Ada Lovelace', at: now() };
    expect(results(await d.push([mutation(1, 'package.deliver.v2', bare)]))).toEqual(['signature_required']);
    expect((await dbPackage(p.id))?.status).toBe('received');
    await setSignatureRequired(false);
    try {
      expect(results(await d.push([mutation(2, 'package.deliver.v2', bare)]))).toEqual(['applied']);
    } finally {
      await setSignatureRequired(true);
    }
    expect(await dbPackage(p.id)).toMatchObject({ status: 'delivered', deliveredById: courier.userId, signatureHash: null });
  });

  it('a needs-signature package is refused without one through v1 too; the contract’s v1 deliver stays as it was otherwise', async () => {
    const flagged = await received(
      { trackingNumber: `1Z${randomUUID().slice(0, 8).toUpperCase()}`, needsSignature: true },
      'package.receive.v2',
    );
    const plain = await received();
    const d = as(courier);
    const r = await d.push([
      mutation(1, 'package.deliver', { id: flagged.id, deliveredTo: 'Ada Lovelace', at: now() }),
      mutation(2, 'package.deliver', { id: plain.id, deliveredTo: 'Someone Else', at: now() }),
      mutation(3, 'package.deliver.v2', { id: flagged.id, deliveredTo: 'Ada Lovelace', signatureHash: SIG, at: now() }),
    ]);
    expect(results(r)).toEqual(['signature_required', 'applied', 'applied']);
    expect(await dbPackage(flagged.id)).toMatchObject({ status: 'delivered', signatureHash: SIG });
  });

  it('a proxy pickup needs a reason, and the package records it', async () => {
    const p = await received();
    const d = as(courier);
    const args = { id: p.id, deliveredTo: 'Charles Babbage', signatureHash: SIG, at: now() };
    const r = await d.push([
      mutation(1, 'package.deliver.v2', args),
      mutation(2, 'package.deliver.v2', { ...args, proxyReason: 'Colleague collecting' }),
    ]);
    expect(results(r)).toEqual(['proxy_reason_required', 'applied']);
    expect(await dbPackage(p.id)).toMatchObject({ deliveredTo: 'Charles Babbage', proxyReason: 'Colleague collecting' });
  });
});

describe('holds and returns with reasons', () => {
  it('a hold needs a reason; releasing it is a delivery that keeps the note; a return records reason and carrier', async () => {
    const p = await received();
    const q = await received();
    const d = as(operator);
    const r = await d.push([
      mutation(1, 'package.hold.v2', { id: p.id }),
      mutation(2, 'package.hold.v2', { id: p.id, reason: 'other' }),
      mutation(3, 'package.hold.v2', { id: p.id, reason: 'id_required' }),
      mutation(4, 'package.deliver.v2', { id: p.id, deliveredTo: 'Ada Lovelace', signatureHash: SIG, at: now() }),
      mutation(5, 'package.return.v2', { id: q.id, reason: 'refused', carrier: 'UPS', at: now() }),
      mutation(6, 'package.hold.v2', { id: q.id, reason: 'damaged' }),
    ]);
    expect(results(r)).toEqual(['invalid_args', 'invalid_args', 'applied', 'applied', 'applied', 'invalid_transition']);
    expect(await dbPackage(p.id)).toMatchObject({ status: 'delivered', holdReason: 'id_required', holdNote: 'Photo ID required' });
    expect(await dbPackage(q.id)).toMatchObject({
      status: 'returned',
      returnReason: 'refused',
      returnCarrier: 'UPS',
      returnedById: operator.userId,
    });
    expect(await eventTypes(p.id)).toEqual(['received', 'held', 'delivered']);
  });
});

describe('package.reopen', () => {
  it('the courier who delivered takes it back; another courier may not; an admin may any time', async () => {
    const p = await received();
    const mine = as(courier);
    expect(
      results(
        await mine.push([mutation(1, 'package.deliver.v2', { id: p.id, deliveredTo: 'Ada Lovelace', signatureHash: SIG, at: now() })]),
      ),
    ).toEqual(['applied']);
    const reopen = { id: p.id, reason: 'Undone on the device' };
    expect(results(await as(courier2).push([mutation(1, 'package.reopen', reopen)]))).toEqual(['forbidden']);
    expect(results(await mine.push([mutation(2, 'package.reopen', reopen)]))).toEqual(['applied']);
    expect(await dbPackage(p.id)).toMatchObject({ status: 'received', deliveredTo: null, closedAt: null });

    // Closed long ago (the server's record says so): only an admin can reopen it now.
    expect(
      results(
        await mine.push([mutation(3, 'package.deliver.v2', { id: p.id, deliveredTo: 'Ada Lovelace', signatureHash: SIG, at: now() })]),
      ),
    ).toEqual(['applied']);
    await asOwner(t, (c) => c.query(`UPDATE packages SET "closedAt" = now() - interval '1 hour' WHERE id = $1`, [p.id]));
    expect(results(await mine.push([mutation(4, 'package.reopen', reopen)]))).toEqual(['undo_expired']);
    expect(results(await as(admin).push([mutation(1, 'package.reopen', { id: p.id, reason: 'Handed to the wrong person' })]))).toEqual([
      'applied',
    ]);
    expect(await eventTypes(p.id)).toEqual(['received', 'delivered', 'reopened', 'delivered', 'reopened']);
  });
});
