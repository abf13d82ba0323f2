// A recipient's notification channels over sync: a new recipient takes the facility's notification
// defaults (the same shared mutator a device runs), an admin sets the channels on the recipient, an
// operator cannot, and a later change of the defaults leaves people already in the directory alone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, rowsOf } from './sync-helpers.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp();
  a = await signUp(t);
});
afterAll(() => t?.close());

const outcome = (res: { json: { results: { status: string; code?: string }[] } }) => res.json.results.map((r) => r.code ?? r.status);
const setDefaults = async (email: boolean, sms: boolean) =>
  expect((await a.client.request('PATCH', '/api/facility', { notificationDefaults: { email, sms } })).status).toBe(200);
const stored = (id: string) =>
  t.deps.db.withFacility(a.facilityId, (tx) =>
    tx.recipient.findUniqueOrThrow({ where: { id }, select: { notifyEmail: true, notifySms: true, name: true } }),
  );

describe('recipient.upsert and the facility’s notification defaults', () => {
  it('a recipient an operator adds at intake starts with the facility’s defaults, and pulls that way', async () => {
    const op = await joinAs(t, a, 'operator');
    await setDefaults(false, true);
    const device = new Device(op.client, a.facilityId);
    const R = randomUUID();
    expect(outcome(await device.push([mutation(1, 'recipient.upsert', { id: R, name: 'Grace Hopper' })]))).toEqual(['applied']);
    expect(await stored(R)).toEqual({ name: 'Grace Hopper', notifyEmail: false, notifySms: true });
    const pulled = applyPatch(new Map(), (await new Device(a.client, a.facilityId).pullAll()).patch);
    expect(rowsOf(pulled, 'recipients').get(R)).toMatchObject({ notifyEmail: false, notifySms: true });

    // Defaults changed later: the recipient keeps their channels through an edit.
    await setDefaults(true, false);
    expect(outcome(await device.push([mutation(2, 'recipient.upsert', { id: R, name: 'Grace M. Hopper' })]))).toEqual(['applied']);
    expect(await stored(R)).toEqual({ name: 'Grace M. Hopper', notifyEmail: false, notifySms: true });

    // The operator may not choose the channels, for a new recipient or this one; nothing is written.
    const fresh = randomUUID();
    const refused = await device.push([
      mutation(3, 'recipient.upsert', { id: R, name: 'Grace', notifyEmail: true }),
      mutation(4, 'recipient.upsert', { id: fresh, name: 'Bo', notifySms: false }),
    ]);
    expect(outcome(refused)).toEqual(['forbidden', 'forbidden']);
    expect(await stored(R)).toEqual({ name: 'Grace M. Hopper', notifyEmail: false, notifySms: true });
    expect(await t.deps.db.withFacility(a.facilityId, (tx) => tx.recipient.count({ where: { id: fresh } }))).toBe(0);
  });

  it('an admin sets the channels on a new recipient and changes them later', async () => {
    await setDefaults(true, false);
    const admin = new Device(a.client, a.facilityId);
    const R = randomUUID();
    expect(
      outcome(await admin.push([mutation(1, 'recipient.upsert', { id: R, name: 'Ada', notifyEmail: false, notifySms: true })])),
    ).toEqual(['applied']);
    expect(await stored(R)).toEqual({ name: 'Ada', notifyEmail: false, notifySms: true });
    expect(outcome(await admin.push([mutation(2, 'recipient.upsert', { id: R, name: 'Ada', notifyEmail: true })]))).toEqual(['applied']);
    expect(await stored(R)).toEqual({ name: 'Ada', notifyEmail: true, notifySms: true });
    // Junk in the new fields is refused as invalid, never stored.
    const junk = await admin.push([mutation(3, 'recipient.upsert', { id: R, name: 'Ada', notifySms: 'yes' })]);
    expect(junk.status).toBeLessThan(500);
    expect(outcome(junk)[0]).not.toBe('applied');
    expect(await stored(R)).toEqual({ name: 'Ada', notifyEmail: true, notifySms: true });
  });
});
