// The privacy policy's promises about time (issue 11), with the clock set by `now`: a lapsed trial
// is writable on day 9, read-only on day 11 (reads and exports still work), still there on day 39,
// and gone on day 41 — no row in any table, no object under its prefix, the organization's other
// facility untouched, and the people left with nothing unable to sign in. Day 41 runs through the
// real `npm run jobs -- --once --now` on Postgres (the embedded database is this process's own).
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { BILLING_ON, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import {
  age,
  buildWorld,
  canSignIn,
  countWhere,
  DAY_MS,
  facilityRows,
  jobsCli,
  ownerSql,
  trialEnd,
  type World,
} from './lifecycle-world.ts';
import { mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp(BILLING_ON);
  w = await buildWorld(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** The lapsing facilities' day `n`, counted from their (shifted) creation. */
const dayOf = async (n: number) => new Date((await trialEnd(t, w.doomedId)).getTime() + (n - 10) * DAY_MS);

describe('a lapsed trial, day by day (local disk storage)', () => {
  let beforeAnnex: Record<string, number>;
  let annexObjects: string[];

  it('day 9: writable', async () => {
    for (const id of [w.doomedId, w.loneId]) await age(t, id, 9);
    const pushed = await w.doomed.device.push([mutation(4, 'package.receive', receiveArgs())]);
    expect(pushed.status, pushed.text).toBe(200);
    expect(pushed.json.results[0].status).toBe('applied');
    await runJobsOnce(t.deps, await dayOf(9));
    expect((await facilityRows(t, w.doomedId)).facilities).toBe(1);
  });

  it('day 11: read-only — push 403 read_only; pull, the package list and the CSV export still 200', async () => {
    for (const id of [w.doomedId, w.loneId]) await age(t, id, 2);
    const pushed = await w.doomed.device.push([mutation(5, 'package.receive', receiveArgs())]);
    expect(pushed.status).toBe(403);
    expect(pushed.json.error).toBe('read_only');
    expect((await w.doomed.device.pull(null)).status).toBe(200);
    expect((await w.a.client.get('/api/packages')).status).toBe(200);
    const csv = await w.a.client.get('/api/exports/packages.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n').length).toBeGreaterThan(3);
    await runJobsOnce(t.deps, await dayOf(11));
    expect((await facilityRows(t, w.doomedId)).facilities).toBe(1);
  });

  it('day 39: still there, every row and object', async () => {
    const before = await facilityRows(t, w.doomedId);
    await runJobsOnce(t.deps, await dayOf(39));
    const after = await facilityRows(t, w.doomedId);
    // Only the owner's notices were added meanwhile (read-only, deletion in 7 days, in 1 day).
    expect({ ...after, billing_notices: 0 }).toEqual({ ...before, billing_notices: 0 });
    expect(after).toMatchObject({ packages: 3, package_events: 4, attachments: 1, stored_blobs: 1, memberships: 1, subscriptions: 1 });
    expect(await t.deps.blobs.listFacility(w.doomedId)).toHaveLength(1);
    expect(await countWhere(t, 'facility_deletions', 'facilityId', w.doomedId)).toBe(0);
    beforeAnnex = await facilityRows(t, w.annexId);
    annexObjects = await t.deps.blobs.listFacility(w.annexId);
    expect(annexObjects).toHaveLength(1);
  });

  it('day 41: gone — no row in any table, no object, the other facility untouched, the people left with nothing cannot sign in', async () => {
    const day41 = await dayOf(41);
    if (usingPglite) expect(await runJobsOnce(t.deps, day41)).toContain('facility-deletion');
    else expect(await jobsCli(t, day41)).toContain('facility-deletion');

    for (const id of [w.doomedId, w.loneId]) {
      expect(await facilityRows(t, id)).toEqual({});
      expect(await t.deps.blobs.listFacility(id)).toEqual([]);
    }
    // The local folder holds nothing of either (not even a temporary upload file).
    const dir = t.deps.env.BLOB_DIR!;
    for (const id of [w.doomedId, w.loneId]) expect(await readdir(`${dir}/${id}`).catch(() => [])).toEqual([]);

    // Organization A keeps its annex (rows and objects as they were) and its owner.
    expect(await facilityRows(t, w.annexId)).toEqual(beforeAnnex);
    expect(await t.deps.blobs.listFacility(w.annexId)).toEqual(annexObjects);
    expect(await countWhere(t, 'organizations', 'id', w.orgA)).toBe(1);
    expect(await canSignIn(t, w.a.body.email, w.a.body.password)).toBe(200);
    const me = await w.a.client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.json.activeFacilityId).toBe(w.annexId);

    // Organization C lost its last facility: it goes, with the people who had nothing else.
    expect(await countWhere(t, 'organizations', 'id', w.orgC)).toBe(0);
    for (const userId of [w.c.userId, w.onlyHere.userId]) {
      expect(await countWhere(t, 'users', 'id', userId)).toBe(0);
      expect(await countWhere(t, 'sessions', 'userId', userId)).toBe(0);
      expect(await countWhere(t, 'memberships', 'userId', userId)).toBe(0);
    }
    expect(await canSignIn(t, w.c.body.email, w.c.body.password)).toBe(401);
    expect(await canSignIn(t, w.onlyHere.email, w.onlyHere.password)).toBe(401);
    expect((await w.c.client.get('/api/me')).status).toBe(401);
    // B's owner was also C's member: they stay, their session now in their own facility.
    expect(await canSignIn(t, w.b.body.email, w.b.body.password)).toBe(200);
    expect(await countWhere(t, 'memberships', 'userId', w.b.userId)).toBe(1);
    expect((await w.b.client.get('/api/me')).json.activeFacilityId).toBe(w.b.facilityId);

    // The record: when, why, how much — no content, no names.
    const records = await ownerSql<{
      facilityId: string;
      reason: string;
      step: string;
      finishedAt: Date | null;
      counts: Record<string, number>;
    }>(t, `SELECT "facilityId", reason, step, "finishedAt", counts FROM facility_deletions ORDER BY "startedAt"`);
    expect(records.map((r) => r.facilityId).sort()).toEqual([w.doomedId, w.loneId].sort());
    for (const r of records) {
      expect(r).toMatchObject({ reason: 'trial_ended', step: 'finished' });
      expect(r.finishedAt).not.toBeNull();
      expect(Object.values(r.counts).every((n) => Number.isInteger(n))).toBe(true);
    }
    const doomed = records.find((r) => r.facilityId === w.doomedId)!;
    expect(doomed.counts).toMatchObject({ objects: 1, packages: 3, package_events: 4, facilities: 1, memberships: 1, invitations: 1 });
    const lone = records.find((r) => r.facilityId === w.loneId)!;
    expect(lone.counts).toMatchObject({ facilities: 1, organizations: 1, users: 2 });

    // Another run finds nothing more to do.
    const again = await runJobsOnce(t.deps, new Date(day41.getTime() + DAY_MS));
    expect(again).toContain('facility-deletion');
    expect(await ownerSql(t, `SELECT 1 FROM facility_deletions`)).toHaveLength(2);
  }, 120_000);

  it('the app role cannot read or write the deletion record', async () => {
    await expect(t.deps.db.prisma.facilityDeletion.findMany()).rejects.toThrow(/permission denied/i);
  });
});

describe('billing off (no Stripe keys)', () => {
  it('a facility at day 41 (and 89) is untouched and nobody is emailed', async () => {
    const off = await startTestApp();
    try {
      const o = await signUp(off);
      const { fillFacility } = await import('./lifecycle-world.ts');
      await fillFacility(o.client, o.facilityId);
      const before = await facilityRows(off, o.facilityId);
      const end = await trialEnd(off, o.facilityId);
      // Up to day 89: past every billing clock, while the photo is still inside its 90-day retention
      // (retention is a privacy rule that runs with billing off too; photo-retention.test.ts).
      for (const day of [7.5, 11, 34, 40, 41, 89]) await runJobsOnce(off.deps, new Date(end.getTime() + (day - 10) * DAY_MS));
      expect(await facilityRows(off, o.facilityId)).toEqual(before);
      expect(await off.deps.blobs.listFacility(o.facilityId)).toHaveLength(1);
      expect(off.mailer.sent.filter((m) => m.to === o.body.email)).toEqual([]);
      expect(await canSignIn(off, o.body.email, o.body.password)).toBe(200);
    } finally {
      await off.close();
    }
  }, 60_000);
});
