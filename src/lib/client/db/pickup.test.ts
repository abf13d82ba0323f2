// Pickup codes checked on the device (fake-indexeddb, the real outbox), and the facility settings
// the device keeps for it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { newPickupKey, pickupCodeFor } from '../../domain/pickup-code';
import type { Facility } from '../api';
import { FACILITY_SETTINGS_INTERVAL_MS, FacilitySettingsSync } from '../sync/facility-settings';
import { getHandOffSettings, getPickupKey, setPickupKey } from './meta';
import { claimDevice, enqueueMutations, type DeviceActor } from './outbox';
import { checkPickupCode, warmDevicePickupCodes } from './pickup';
import { PtpDb } from './schema';

const FACILITY = '00000000-0000-4000-8000-000000000001';
const OTHER_FACILITY = '00000000-0000-4000-8000-0000000000ff';
const actor: DeviceActor = { userId: '00000000-0000-4000-8000-000000000002', role: 'operator' };
const pid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rid = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KEY = newPickupKey();
let db: PtpDb;

beforeEach(async () => {
  db = new PtpDb(FACILITY, { indexedDB: new IDBFactory(), IDBKeyRange });
  await claimDevice(db, actor.userId);
});

const receive = (n: number, recipient: number | null, name = `Person ${recipient ?? n}`) => ({
  name: 'package.receive.v2' as const,
  args: {
    id: pid(n),
    trackingNumber: `1Z00000000000000${n}`,
    carrier: 'ups',
    recipientName: name,
    ...(recipient === null ? {} : { recipientId: rid(recipient) }),
    receivedAt: new Date(Date.UTC(2026, 10, 1, 8, n)).toISOString(),
  },
});
const codeOf = (n: number, recipient: number | null, name = `Person ${recipient ?? n}`, facilityId = FACILITY) =>
  pickupCodeFor(KEY, { facilityId, recipientId: recipient === null ? null : rid(recipient), recipientName: name, packageId: pid(n) });

describe('checkPickupCode', () => {
  beforeEach(async () => {
    await enqueueMutations(db, actor, [
      { name: 'recipient.upsert', args: { id: rid(1), name: 'Person 1' } },
      { name: 'recipient.upsert', args: { id: rid(2), name: 'Person 2' } },
    ]);
    await enqueueMutations(db, actor, [receive(1, 1), receive(2, 1), receive(3, 1), receive(4, 2), receive(5, null, 'Walk In')]);
  });

  it('says so when the device has no key yet', async () => {
    expect(await checkPickupCode(db, FACILITY, codeOf(1, 1))).toMatchObject({ ok: false, code: 'no_key' });
  });

  it('finds the recipient’s open packages offline, and refuses used, foreign and mistyped codes', async () => {
    await setPickupKey(db, KEY);
    await db.packages.update(pid(3), { status: 'delivered', deliveredAt: '2026-11-02T00:00:00.000Z' });
    await db.packages.update(pid(2), { status: 'held' });

    const ok = await checkPickupCode(db, FACILITY, codeOf(1, 1).toLowerCase());
    expect(ok.ok).toBe(true);
    if (!ok.ok) throw new Error(ok.code);
    expect(ok.recipientId).toBe(rid(1));
    expect(ok.openPackages.map((p) => p.id).sort()).toEqual([pid(1), pid(2)]);
    expect(ok.package.trackingNumber).toBe('1Z000000000000001');

    expect(await checkPickupCode(db, FACILITY, `PTP1:${codeOf(5, null, 'Walk In')}`)).toMatchObject({
      ok: true,
      recipientId: null,
      package: { id: pid(5) },
    });
    expect(await checkPickupCode(db, FACILITY, codeOf(3, 1))).toMatchObject({ ok: false, code: 'already_collected' });
    expect(await checkPickupCode(db, FACILITY, codeOf(4, 2), rid(1))).toMatchObject({ ok: false, code: 'other_recipient' });
    expect(await checkPickupCode(db, FACILITY, codeOf(4, 2), rid(2))).toMatchObject({ ok: true });
    expect(await checkPickupCode(db, FACILITY, codeOf(1, 2))).toMatchObject({ ok: false, code: 'unknown_code' });
    expect(await checkPickupCode(db, FACILITY, codeOf(1, 1, 'Person 1', OTHER_FACILITY))).toMatchObject({
      ok: false,
      code: 'unknown_code',
    });
    expect(await checkPickupCode(db, FACILITY, '12')).toMatchObject({ ok: false, code: 'invalid_code' });
  });
});

describe('FacilitySettingsSync', () => {
  const facility = (over: Partial<Facility> = {}): Facility => ({
    id: FACILITY,
    name: 'Desk',
    code: 'DES-AAAA',
    timezone: 'UTC',
    photoRetentionDays: 90,
    reminderIntervalHours: 24,
    signatureRequired: false,
    quietHours: null,
    notificationDefaults: { email: true, sms: false },
    holdNoteInNotifications: false,
    aiEnabled: true,
    ai: { enabled: false },
    settingsReviewedAt: null,
    active: true,
    organizationId: pid(99),
    organizationName: 'Org',
    role: 'courier',
    isOrganizationOwner: false,
    pickupKey: KEY,
    ...over,
  });

  it('stores the hand-off setting and key, asks again only after the interval, and keeps them offline', async () => {
    let now = 1_000_000;
    let answer: () => Promise<Facility> = async () => facility();
    let calls = 0;
    const s = new FacilitySettingsSync(
      db,
      FACILITY,
      () => (calls++, answer()),
      () => now,
    );
    expect(await getHandOffSettings(db)).toEqual({ signatureRequired: true });

    expect(await s.refresh({ force: true })).toBe(true);
    expect(await getHandOffSettings(db)).toEqual({ signatureRequired: false });
    expect(await getPickupKey(db)).toBe(KEY);

    now += 60_000;
    expect(await s.refresh()).toBe(false);
    expect(calls).toBe(1);

    now += FACILITY_SETTINGS_INTERVAL_MS;
    answer = async () => {
      throw new Error('offline');
    };
    expect(await s.refresh()).toBe(false);
    expect(calls).toBe(2);
    expect(await getHandOffSettings(db)).toEqual({ signatureRequired: false });
    expect(await getPickupKey(db)).toBe(KEY);

    // Another facility's answer (switched meanwhile) is not stored here.
    answer = async () => facility({ id: OTHER_FACILITY, signatureRequired: true, pickupKey: newPickupKey() });
    expect(await s.refresh({ force: true })).toBe(false);
    expect(await getPickupKey(db)).toBe(KEY);

    // Now a viewer: the key is forgotten.
    answer = async () => facility({ role: 'viewer', pickupKey: undefined, signatureRequired: true });
    expect(await s.refresh({ force: true })).toBe(true);
    expect(await getPickupKey(db)).toBeUndefined();
    expect(await getHandOffSettings(db)).toEqual({ signatureRequired: true });
  });
});

describe('warmDevicePickupCodes', () => {
  it('computes ahead what a check then finds', async () => {
    await enqueueMutations(db, actor, [receive(1, null, 'Early Bird')]);
    await warmDevicePickupCodes(db, FACILITY); // no key yet: nothing to do
    await setPickupKey(db, KEY);
    await warmDevicePickupCodes(db, FACILITY, 1);
    expect(await checkPickupCode(db, FACILITY, codeOf(1, null, 'Early Bird'))).toMatchObject({ ok: true });
  });
});
