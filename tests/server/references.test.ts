// Ids that point at other rows (issue: production hardening 8 and 9): a location or department id
// must name a live row of the session's facility, another facility's answers not_found like an
// unknown one; every facility-owned row needs its facility to exist; and the server's clock, not
// the device's, dates a deletion.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;
let b: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp();
  [a, b] = await Promise.all([signUp(t), signUp(t)]);
});
afterAll(() => t?.close());

const addLocation = (facilityId: string, id = randomUUID()) =>
  asOwner(t, (c) => c.query(`INSERT INTO locations (id, "facilityId", name, version) VALUES ($1, $2, 'Shelf', 0)`, [id, facilityId])).then(
    () => id,
  );
const addDepartment = (facilityId: string, id = randomUUID()) =>
  asOwner(t, (c) => c.query(`INSERT INTO departments (id, "facilityId", name, version) VALUES ($1, $2, 'Dept', 0)`, [id, facilityId])).then(
    () => id,
  );

describe('references between rows', () => {
  it("refuses another facility's or an unknown location with not_found, and takes its own", async () => {
    const mine = await addLocation(a.facilityId);
    const theirs = await addLocation(b.facilityId);
    const d = new Device(a.client, a.facilityId);
    const res = await d.push([
      mutation(1, 'package.receive', receiveArgs({ locationId: theirs })),
      mutation(2, 'package.receive', receiveArgs({ locationId: randomUUID() })),
      mutation(3, 'package.receive', receiveArgs({ locationId: mine })),
    ]);
    expect(res.json.results.map((r: { status: string; code?: string }) => r.code ?? r.status)).toEqual([
      'not_found',
      'not_found',
      'applied',
    ]);
    const pkgId = (await d.pullAll()).patch.find((p) => p.op === 'put' && p.table === 'packages')!;
    expect(pkgId.op === 'put' && pkgId.row.locationId).toBe(mine);
  });

  it("refuses another facility's department or default location on a recipient", async () => {
    const theirDept = await addDepartment(b.facilityId);
    const theirLoc = await addLocation(b.facilityId);
    const myDept = await addDepartment(a.facilityId);
    const d = new Device(a.client, a.facilityId);
    const r = randomUUID();
    const res = await d.push([
      mutation(1, 'recipient.upsert', { id: r, name: 'Grace', departmentId: theirDept }),
      mutation(2, 'recipient.upsert', { id: r, name: 'Grace', defaultLocationId: theirLoc }),
      mutation(3, 'recipient.upsert', { id: r, name: 'Grace', departmentId: myDept }),
    ]);
    expect(res.json.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual([
      'not_found',
      'not_found',
      'applied',
    ]);
  });

  it('refuses a facility-owned row whose facility does not exist (foreign key)', async () => {
    await expect(addLocation(randomUUID())).rejects.toThrow(/foreign key/);
  });
});

describe('server time', () => {
  it('dates a deletion by the server even when the device clock says 2001, so it is not purged at once', async () => {
    const d = new Device(a.client, a.facilityId);
    const args = receiveArgs({ receivedAt: '2001-01-01T00:00:00Z' });
    const old = '2001-01-01T00:00:00.000Z';
    const res = await d.push([
      { ...mutation(1, 'package.receive', args), clientTime: old },
      { ...mutation(2, 'package.delete', { id: args.id }), clientTime: old },
    ]);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    const row = await asOwner(t, (c) =>
      c.query<{ deletedAt: Date; receivedAt: Date }>(`SELECT "deletedAt", "receivedAt" FROM packages WHERE id = $1`, [args.id]),
    );
    const { deletedAt, receivedAt } = row.rows[0]!;
    expect(Math.abs(deletedAt.getTime() - Date.now())).toBeLessThan(60_000);
    // The device's receipt time is kept within 30 days of the server's clock.
    expect(Date.now() - receivedAt.getTime()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000 + 60_000);
    expect(Date.now() - receivedAt.getTime()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    // The hourly purge (30-day retention) leaves a fresh tombstone alone: devices still learn of it.
    const { purgeTombstones } = await import('../../sync-server/src/services/purge-tombstones.ts');
    const purged = await purgeTombstones(t.deps, a.facilityId);
    expect(purged.removed).toBe(0);
  });
});
